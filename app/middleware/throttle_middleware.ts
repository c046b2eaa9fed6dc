import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#exceptions/api_error'
import { rateLimitHits } from '#platform/api_metrics'
import { consumeLimit, isTooMany, secondsUntilAllowed } from '#platform/rate_limits'

export interface Limit {
  /** Names the limit in keys and metrics. */
  name: string
  /** Per IP, or per signed-in user (per API key, for a request made with one). */
  scope: 'ip' | 'user'
  requestsPerMinute: number
}

/**
 * Rate limits on Redis, shared by every replica. When Redis is down a limit
 * is kept per process in memory: degraded, but still a limit, and the API
 * keeps serving.
 *
 * The limits a route has are consumed together, so they cost one Redis round
 * trip between them, not one each (the connection pipelines commands sent in
 * the same turn). A per-user limit needs the caller: this runs before the
 * auth middleware and asks the guard itself; a request without a valid token
 * is only counted per IP, and the auth middleware then refuses it.
 */
export default class ThrottleMiddleware {
  async handle(ctx: HttpContext, next: NextFn, limits: Limit[]) {
    const caller = limits.some((l) => l.scope === 'user') ? await callerOf(ctx) : undefined
    const outcomes = await Promise.allSettled(
      limits.flatMap((limit) => {
        const who = limit.scope === 'user' ? caller : `ip:${ctx.request.ip()}`
        return who ? [consume(limit, `${limit.name}:${who}`)] : []
      })
    )
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []))
    if (refusals.length === 0) return next()
    // Every request counts against its IP (that limit is against floods), but
    // one refused by another limit does not use up the person's own budget.
    await Promise.all(
      outcomes.map((o) =>
        o.status === 'fulfilled' && o.value.limit.scope === 'user'
          ? o.value.store.decrement(o.value.key).catch(() => {})
          : null
      )
    )
    const unexpected = refusals.find((error) => !(error instanceof ApiError))
    if (unexpected) throw unexpected
    // Refused by several limits: come back when every one of them allows it.
    throw refusals.reduce((a: ApiError, b: ApiError) =>
      Number(a.retryAfter) >= Number(b.retryAfter) ? a : b
    )
  }
}

/** Who a per-user limit counts: the API key a request was made with, else its person. */
async function callerOf(ctx: HttpContext) {
  if (!(await ctx.auth.check())) return undefined
  const key = ctx.auth.use('bearer').apiKey
  return key ? `key:${key.id}` : `user:${ctx.auth.user!.id}`
}

/** Counts one request against a limit; says which store counted it. */
async function consume(limit: Limit, key: string) {
  const consumption = { requests: limit.requestsPerMinute, duration: '1 minute' }
  try {
    return { limit, store: await consumeLimit(limit.name, consumption, key), key }
  } catch (error) {
    if (!isTooMany(error)) throw error
    rateLimitHits.inc({ limit: limit.name, outcome: 'refused' })
    throw new ApiError('rate_limited', undefined, { retryAfter: secondsUntilAllowed(error, 60) })
  }
}
