import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { httpDuration } from '#services/api_metrics'

/** Latency of every request by route pattern (never the raw URL, which holds ids). */
export default class MetricsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const started = process.hrtime.bigint()
    try {
      return await next()
    } finally {
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
