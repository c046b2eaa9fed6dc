import type { HttpContext } from '@adonisjs/core/http'
import { healthChecks } from '#start/health'

/** Readiness of everything a request may need; liveness of the process alone. */
export default class HealthController {
  async ready({ response }: HttpContext) {
    const report = await healthChecks.run()
    const checks = Object.fromEntries(
      report.checks.map((check) => [check.name, check.status === 'ok' ? 'ok' : 'failing'])
    )
    const status = !report.isHealthy ? 'failing' : report.status === 'ok' ? 'ok' : 'degraded'
    return response.status(report.isHealthy ? 200 : 503).send({ status, checks })
  }

  async live() {
    return { status: 'ok' }
  }
}
