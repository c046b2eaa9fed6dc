import { timingSafeEqual, createHash } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import env from '#start/env'
import { ApiError } from '#exceptions/api_error'
import { registry } from '#platform/api_metrics'

/** Prometheus metrics, for a scraper holding METRICS_TOKEN; off when it is unset. */
export default class MetricsController {
  async show({ request, response }: HttpContext) {
    const expected = env.get('METRICS_TOKEN')?.release()
    const presented = (request.header('authorization') ?? '').replace(/^Bearer /i, '')
    const digest = (value: string) => createHash('sha256').update(value).digest()
    if (!expected || !timingSafeEqual(digest(expected), digest(presented)))
      throw new ApiError('unauthorized')
    response.header('content-type', registry.contentType)
    return registry.metrics()
  }
}
