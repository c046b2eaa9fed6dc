import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'

type Check = 'ok' | 'failing'

/** Readiness of everything a request may need; liveness of the process alone. */
export default class HealthController {
  async ready({ response }: HttpContext) {
    const settle = (p: Promise<unknown>): Promise<Check> =>
      Promise.race([p, new Promise((_, reject) => setTimeout(reject, 1_000))]).then(
        () => 'ok',
        () => 'failing'
      )
    const [database, cache, ledger] = await Promise.all([
      settle(db.rawQuery('SELECT 1')),
      settle(redis.ping()),
      settle(
        app.container.make('ledger').then(async (l) => {
          if (!(await l.health())) throw new Error('ledger unhealthy')
        })
      ),
    ])
    const checks = { database, redis: cache, ledger }
    // Redis down degrades rate limits but money still moves: report it, stay ready.
    const ok = database === 'ok' && ledger === 'ok'
    return response
      .status(ok ? 200 : 503)
      .send({ status: ok ? (cache === 'ok' ? 'ok' : 'degraded') : 'failing', checks })
  }

  async live() {
    return { status: 'ok' }
  }
}
