import limiter from '@adonisjs/limiter/services/main'
import { ApiError } from '#exceptions/api_error'
import { rateLimitHits } from '#platform/api_metrics'

export interface Consumption {
  requests: number
  duration: string
  /** How long a key that went over stays refused; the duration when unset. */
  blockDuration?: string
}

/**
 * Counts one request under `key` on Redis, shared by every replica. While
 * Redis is down the count is kept per process in memory: degraded, but still
 * a limit. A refusal is the limiter's E_TOO_MANY_REQUESTS error. Returns the
 * store that counted, so the caller can take the count back.
 */
export async function consumeLimit(name: string, consumption: Consumption, key: string) {
  const shared = limiter.use(consumption)
  try {
    await shared.consume(key)
    return shared
  } catch (error) {
    if (isTooMany(error)) throw error
    rateLimitHits.inc({ limit: name, outcome: 'degraded' })
    const local = limiter.use('memory', consumption)
    await local.consume(key)
    return local
  }
}

export function isTooMany(error: unknown) {
  return (error as { code?: string })?.code === 'E_TOO_MANY_REQUESTS'
}

/** Seconds until a refused key is allowed again, from the limiter's refusal. */
export function secondsUntilAllowed(error: unknown, fallback: number) {
  return Math.max(1, Math.ceil((error as any)?.response?.availableIn ?? fallback))
}

/**
 * One more try at something guessable (a password, a code), counted before
 * it is checked so parallel guesses cannot slip past `max` in `window`:
 * past it, 429 too_many_attempts. Returns the store, so a success can take
 * the count back (`.delete(key)`).
 */
export async function countAttempt(name: string, key: string, max: number, window: string) {
  return consumeLimit(name, { requests: max, duration: window, blockDuration: window }, key).catch(
    (error) => {
      if (!isTooMany(error)) throw error
      throw new ApiError('too_many_attempts', undefined, {
        retryAfter: secondsUntilAllowed(error, 900),
      })
    }
  )
}
