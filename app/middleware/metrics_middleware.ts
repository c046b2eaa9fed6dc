import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { httpDuration } from '#platform/api_metrics'
import { inFlightRequests } from '#platform/in_flight_requests'

/**
 * Latency of every request by route pattern (never the raw URL, which holds
 * ids), and the requests in flight, which a stopping server waits for.
 */
export default class MetricsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const started = process.hrtime.bigint()
    inFlightRequests.started()
    try {
      return await next()
    } finally {
      inFlightRequests.finished()
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      httpDuration.observe(
        {
          method: ctx.request.method(),
          route: ctx.route?.pattern ?? 'unmatched',
          status: String(ctx.response.getStatus()),
        },
        seconds
      )
    }
  }
}
