import { setTimeout } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import { BaseCheck, HealthChecks, Result } from '@adonisjs/core/health'
import { DbCheck } from '@adonisjs/lucid/database'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'

/** The longest a probe waits for one check: a black-holed host must not hang it. */
const check_timeout_ms = 1_000

/** ledger-core answers its health check (its own process), or its worker runs (embedded). */
class LedgerCheck extends BaseCheck {
  name = 'ledger'

  async run() {
    try {
      const ledger = await app.container.make('ledger')
      return (await ledger.health())
        ? Result.ok('ledger-core is healthy')
        : Result.failed('ledger-core is not healthy')
    } catch (error) {
      return Result.failed('ledger-core cannot be reached', error as Error)
    }
  }
}

/**
 * Redis answers a PING. Not @adonisjs/redis's RedisCheck: while a connection
 * is still opening it waits a whole second before looking again, so the
 * first probe after a start would always run out of time; a PING waits for
 * the connection in ioredis's queue and fails within its command timeout.
 */
class RedisPingCheck extends BaseCheck {
  name = 'redis'

  async run() {
    try {
      await redis.ping()
      return Result.ok('Redis answers')
    } catch (error) {
      return Result.failed('Redis does not answer', error as Error)
    }
  }
}

/** Another check's result, or a failure once it has taken longer than check_timeout_ms. */
class Bounded extends BaseCheck {
  name: string

  constructor(
    readonly check: BaseCheck,
    /** What its failure means for the app: `warning` for a part it can do without. */
    readonly onFailure: 'error' | 'warning' = 'error'
  ) {
    super()
    this.name = check.name
  }

  async run() {
    const result = await Promise.race([
      this.check.run(),
      setTimeout(check_timeout_ms, Result.failed(`no answer within ${check_timeout_ms} ms`), {
        ref: false,
      }),
    ])
    if (result.status === 'error' && this.onFailure === 'warning')
      return Result.warning(result.message)
    return result
  }
}

/**
 * What `GET /health` runs. Redis only holds rate limits, revocations and
 * caches: while it is down the API serves with degraded limits, so its
 * failure is a warning, not a reason to take the API out of rotation.
 */
export const healthChecks = new HealthChecks().register([
  new Bounded(new DbCheck(db.connection()).as('database')),
  new Bounded(new RedisPingCheck(), 'warning'),
  new Bounded(new LedgerCheck()),
])
