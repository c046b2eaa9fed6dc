import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import limiter from '@adonisjs/limiter/services/main'
import { ApiError } from '#exceptions/api_error'
import { rateLimitHits } from '#services/api_metrics'

export interface ThrottleOptions {
  /** Names the limit in keys and metrics. */
  name: string
  /** Per IP, or per signed-in user. */
  scope: 'ip' | 'user'
  requestsPerMinute: number
}

/**
 * A rate limit on Redis, shared by every replica. When Redis is down the
 * limit is kept per process in memory: degraded, but still a limit, and the
 * API keeps serving.
 */
export default class ThrottleMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: ThrottleOptions) {
    const who = options.scope === 'user' ? `user:${ctx.auth.user?.id}` : `ip:${ctx.request.ip()}`
    const key = `${options.name}:${who}`
    const consumption = { requests: options.requestsPerMinute, duration: '1 minute' }
    try {
      await limiter.use(consumption).consume(key)
    } catch (error) {
      if (!isTooMany(error)) {
        rateLimitHits.inc({ limit: options.name, outcome: 'degraded' })
        try {
          await limiter.use('memory', consumption).consume(key)
        } catch (fallbackError) {
          if (!isTooMany(fallbackError)) throw fallbackError
          throw tooMany(options.name, fallbackError)
        }
        return next()
      }
      throw tooMany(options.name, error)
    }
    return next()
  }
}

function isTooMany(error: unknown) {
  return (error as { code?: string })?.code === 'E_TOO_MANY_REQUESTS'
}

function tooMany(name: string, error: unknown) {
  rateLimitHits.inc({ limit: name, outcome: 'refused' })
  const seconds = Math.ceil((error as any)?.response?.availableIn ?? 60)
  return new ApiError('rate_limited', undefined, { retryAfter: Math.max(1, seconds) })
}
