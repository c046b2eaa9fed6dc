import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import pg from 'pg'
import env from '#start/env'
import type { EventRow } from '#events/event_catalogue'

/** Where the feed is in the outbox: the (transaction id, sequence) of the last event read. */
type Position = [xid: string, seq: string]

/** How often the feed looks for events when no NOTIFY woke it (a lost connection, a slow commit). */
const feed_poll_ms = 1_000
const feed_batch_count_max = 1_000

/**
 * Events as they commit, for the people streaming them from this process
 * (GET /api/v1/events/stream). PostgreSQL wakes every replica at each
 * commit that wrote events (NOTIFY from the outbox trigger); the feed then
 * reads, in one query for all of them, the new events of the people
 * connected here.
 *
 * It reads only events of transactions older than every transaction still
 * running (pg_snapshot_xmin), in (transaction, sequence) order: one that
 * commits late, after newer ones were read, is read then, not skipped.
 */
class EventFeed {
  readonly #subscribers = new Map<string, Set<(events: EventRow[]) => void>>()
  #position?: Promise<Position>
  #listener?: pg.Client
  #timer?: NodeJS.Timeout
  #pumping?: Promise<void>
  #again = false

  /** Where the feed is now; it starts at the newest event readable when first asked. */
  position(): Promise<Position> {
    this.#position ??= this.#start()
    return this.#position
  }

  /**
   * Calls `deliver` with each new event of `userId`, in order, from the feed's
   * position when called. Returns the position it starts after and a stop.
   */
  async subscribe(userId: string, deliver: (events: EventRow[]) => void) {
    const after = await this.position()
    const set = this.#subscribers.get(userId) ?? new Set()
    set.add(deliver)
    this.#subscribers.set(userId, set)
    const stop = () => {
      set.delete(deliver)
      if (set.size === 0) this.#subscribers.delete(userId)
    }
    return { after, stop }
  }

  async #start(): Promise<Position> {
    const { rows } = await db.rawQuery(
      `SELECT xid::text, seq::text FROM events
       WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY xid DESC, seq DESC LIMIT 1`
    )
    await this.#listen()
    this.#timer = setInterval(() => this.wake(), feed_poll_ms).unref()
    app.terminating(() => this.stop())
    return rows[0] ? [rows[0].xid, rows[0].seq] : ['0', '0']
  }

  async #listen() {
    const client = new pg.Client({ connectionString: env.get('DATABASE_URL') })
    client.on('notification', () => this.wake())
    client.on('error', (error) => {
      logger.warn({ err: { message: error.message } }, 'event feed lost its listener; polling')
      this.#listener = undefined
    })
    try {
      await client.connect()
      await client.query('LISTEN purse_events')
      this.#listener = client
    } catch (error) {
      logger.warn(
        { err: { message: (error as Error).message } },
        'event feed cannot listen; polling'
      )
      await client.end().catch(() => {})
    }
  }

  /** Read what is new, now or right after the read under way. */
  wake() {
    if (this.#subscribers.size === 0) return
    if (this.#pumping) {
      this.#again = true
      return
    }
    this.#pumping = this.#pump()
      .catch((error: Error) =>
        logger.warn({ err: { message: error.message } }, 'event feed read failed')
      )
      .finally(() => {
        this.#pumping = undefined
        if (this.#again) {
          this.#again = false
          this.wake()
        }
      })
  }

  async #pump() {
    if (!this.#listener) await this.#listen()
    const [xid, seq] = await this.position()
    const { rows } = await db.rawQuery(
      `SELECT id, type, user_id, subject_id, data, created_at, xid::text, seq::text FROM events
       WHERE (xid, seq) > (?::xid8, ?::bigint) AND xid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY xid, seq LIMIT ?`,
      [xid, seq, feed_batch_count_max]
    )
    if (rows.length === 0) return
    const last = rows.at(-1)
    this.#position = Promise.resolve([last.xid, last.seq] as Position)
    const byUser = new Map<string, EventRow[]>()
    for (const row of rows) {
      if (!this.#subscribers.has(row.user_id)) continue
      byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row])
    }
    for (const [userId, events] of byUser)
      for (const deliver of this.#subscribers.get(userId) ?? []) deliver(events)
    if (rows.length === feed_batch_count_max) this.#again = true
  }

  async stop() {
    clearInterval(this.#timer)
    await this.#listener?.end().catch(() => {})
    this.#listener = undefined
  }
}

export const eventFeed = new EventFeed()

/**
 * A person's events after `afterId` and up to the feed's position `until`,
 * in the feed's order: what a stream resumed with Last-Event-ID missed.
 */
export async function eventsBetween(userId: string, afterId: string, until: Position) {
  const { rows } = await db.rawQuery(
    `SELECT id, type, user_id, subject_id, data, created_at FROM events
     WHERE user_id = ? AND (xid, seq) > (SELECT xid, seq FROM events WHERE id = ? AND user_id = ?)
       AND (xid, seq) <= (?::xid8, ?::bigint)
     ORDER BY xid, seq LIMIT 10000`,
    [userId, afterId, userId, ...until]
  )
  return rows as EventRow[]
}
