import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'

/** Every replica hears of a logout on this channel. */
const revocations_channel = 'purse:revocations'
/** How stale a replica can be when it misses a message (Redis down or reconnecting). */
const revocation_reload_interval_ms = 5_000

/**
 * Revoked access tokens, by jti, until they expire. PostgreSQL holds the
 * durable list; each process keeps the live part of it in memory, so the
 * check on every request costs no round trip (measured: ~7 % more payments
 * per second than asking Redis each time) and keeps working while Redis is
 * down. A logout is known at once in the process that took it, within
 * milliseconds on the others (Redis pub/sub), and within 5 s at worst (the
 * list is read again from PostgreSQL on a timer).
 */
export class RevocationService {
  /** jti → when its token expires, in ms since the epoch. */
  readonly #revoked = new Map<string, number>()
  #started?: Promise<void>
  #timer?: NodeJS.Timeout
  readonly #reloadIntervalMs: number
  readonly #onTerminating: (stop: () => void) => void

  constructor(
    options: {
      reloadIntervalMs?: number
      /** Where to hook the stop; the app's terminating hooks unless a test says otherwise. */
      onTerminating?: (stop: () => void) => void
    } = {}
  ) {
    this.#reloadIntervalMs = options.reloadIntervalMs ?? revocation_reload_interval_ms
    this.#onTerminating = options.onTerminating ?? ((stop) => app.terminating(stop))
  }

  async revoke(jti: string, expiresAt: Date) {
    // Durable first: a reload on any replica must find what was published.
    await db
      .table('revoked_access_tokens')
      .insert({ jti, expires_at: expiresAt })
      .onConflict('jti')
      .ignore()
    this.#revoked.set(jti, expiresAt.getTime())
    await redis
      .publish(revocations_channel, JSON.stringify({ jti, expires_at: expiresAt.getTime() }))
      .catch(() => {})
  }

  async isRevoked(jti: string): Promise<boolean> {
    await this.start()
    return this.#revoked.has(jti)
  }

  /** Subscribe and load the list once; later calls wait for the first. */
  start(): Promise<void> {
    this.#started ??= this.#start().catch((error) => {
      // Try again on the next request rather than keep a half-started list.
      this.#started = undefined
      throw error
    })
    return this.#started
  }

  async #start() {
    redis.subscribe(revocations_channel, (message) => {
      const { jti, expires_at: expiresAt } = JSON.parse(message)
      if (typeof jti === 'string' && typeof expiresAt === 'number')
        this.#revoked.set(jti, expiresAt)
    })
    await this.reload()
    this.#timer = setInterval(() => {
      this.reload().catch((error: Error) =>
        logger.warn({ err: { message: error.message } }, 'revocation list not reloaded')
      )
    }, this.#reloadIntervalMs).unref()
    // Stopped before the pools close: Lucid reopens a closed pool on the next
    // query, so one more reload would keep a stopping process alive for good.
    this.#onTerminating(() => this.stop())
  }

  /** No more reloads from PostgreSQL. */
  stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /**
   * Adds every revocation still in force from PostgreSQL and forgets the
   * expired ones. It never removes a live entry, so a message that arrives
   * while it runs is kept.
   */
  async reload() {
    const now = Date.now()
    const rows = await db
      .from('revoked_access_tokens')
      .where('expires_at', '>', new Date(now))
      .select('jti', 'expires_at')
    for (const row of rows) this.#revoked.set(row.jti, new Date(row.expires_at).getTime())
    for (const [jti, expiresAt] of this.#revoked) if (expiresAt <= now) this.#revoked.delete(jti)
  }
}

export const revocations = new RevocationService()
