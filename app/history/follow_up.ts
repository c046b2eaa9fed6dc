import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import type { LedgerTransfer } from '#ledger/ledger_gateway'
import { HistoryReconciler } from '#history/history_reconciler'

/** A staff movement's ledger idempotency key and the id of the request that asked for it. */
export interface StaffRequest {
  ledgerKey: string
  requestId?: string
}

/**
 * Payments whose outcome the API never learnt: ledger-core timed out, or the
 * connection dropped, after the request was sent. ledger-core may have made
 * such a payment after the API answered 503. The payer's balance then shows
 * it at once (ledger-core holds balances), but the history row is written
 * only when the API hears of the transfer, and the client may never ask
 * again. So the API asks itself: each such payment leaves a row, and a timer
 * reconciles the payer's history with the ledger, as
 * `node ace history:reconcile` does. An admin's reversal or adjustment is
 * noted under its person, and comes back with its audit row.
 *
 * A pass settles (deletes) a row only when the row is `intervalMs` old and
 * no pass of this process failed to reach ledger-core in the last
 * `intervalMs`: a request ledger-core held while hung has then finished,
 * short of it answering again in the instant before the pass. Rows outlive a
 * restart, and any replica may settle them; reconciling twice writes nothing
 * twice.
 */
export class FollowUp {
  readonly #intervalMs: number
  #timer?: NodeJS.Timeout
  /** The pass under way, if any. */
  #running?: Promise<number>
  /** When a pass last failed to reach ledger-core (ms since the epoch). */
  #lastFailureAt = 0

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs
  }

  /**
   * Remember a movement of `userId` whose outcome is not known. A staff
   * movement names its request, for the audit row a pass writes for it.
   * The answer to the request does not depend on
   * it, so a failure is not thrown: the note waits in memory and the next
   * pass writes it, once the database answers again.
   */
  static async note(userId: string, request?: StaffRequest) {
    const row: NoteRow = {
      user_id: userId,
      created_at: new Date(),
      ledger_key: request?.ledgerKey ?? null,
      request_id: request?.requestId ?? null,
    }
    await db
      .table('unsettled_payments')
      .insert(row)
      .catch((failure: Error) => keepUnwritten(row, failure))
  }

  /**
   * A transfer ledger-core made whose rows the API could not write: logged,
   * and its person noted, so that a pass writes them from the ledger.
   */
  static async noteUnwritten(
    userId: string,
    t: LedgerTransfer,
    error: unknown,
    requestId?: string
  ) {
    logger.error(
      { err: { message: (error as Error).message }, transfer_id: t.id },
      'transfer made but not indexed; noted for the follow-up'
    )
    const key = t.idempotency_key
    await FollowUp.note(userId, key ? { ledgerKey: key, requestId } : undefined)
  }

  start() {
    this.#timer = setInterval(() => void this.run(), this.#intervalMs).unref()
    // Stopped, and its pass finished, before the pools close: Lucid reopens a
    // closed pool on the next query, which would keep the process alive.
    app.terminating(() => this.stop())
  }

  async stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running
    // A last try; what still cannot be written is named in the log, for history:reconcile.
    await writeKeptNotes().catch(() => {
      for (const row of unwritten_notes.splice(0)) logger.error({ user_id: row.user_id }, not_noted)
    })
  }

  /** One pass over the rows that are due; returns how many history rows it restored. */
  run(): Promise<number> {
    this.#running ??= this.#pass()
      .catch((error: Error) => {
        this.#lastFailureAt = Date.now()
        logger.warn({ err: { message: error.message } }, 'unsettled payments not checked')
        return 0
      })
      .finally(() => (this.#running = undefined))
    return this.#running
  }

  async #pass() {
    await writeKeptNotes()
    const startedAt = Date.now()
    const dueBefore = new Date(startedAt - this.#intervalMs)
    // A pass right after ledger-core answered again restores what it finds,
    // but settles nothing: a request it held may still be running.
    const conclusive = startedAt - this.#lastFailureAt >= this.#intervalMs
    // Each due person, with the request ids of their staff movements by ledger
    // key. From every note of theirs, due or not: reconciling a person
    // restores all their missing transfers, one noted an instant later too,
    // and its audit row must still name its request.
    const notes = await db
      .from('unsettled_payments')
      .whereIn(
        'user_id',
        db.from('unsettled_payments').where('created_at', '<=', dueBefore).select('user_id')
      )
      .select('user_id', 'ledger_key', 'request_id')
    const duePeople = new Map<string, Map<string, string>>()
    for (const row of notes) {
      const requestIds = duePeople.get(row.user_id) ?? new Map<string, string>()
      if (row.ledger_key && row.request_id) requestIds.set(row.ledger_key, row.request_id)
      duePeople.set(row.user_id, requestIds)
    }
    const reconciler = new HistoryReconciler()
    let written = 0
    for (const [userId, requestIds] of duePeople) {
      const user = await User.find(userId)
      if (user) written += await reconciler.reconcileUser(user, requestIds)
      if (conclusive)
        await db
          .from('unsettled_payments')
          .where('user_id', userId)
          .where('created_at', '<=', dueBefore)
          .delete()
    }
    if (written > 0) logger.info({ restored: written }, 'history restored for unsettled payments')
    return written
  }
}

interface NoteRow {
  user_id: string
  created_at: Date
  ledger_key: string | null
  request_id: string | null
}

/**
 * Notes the database refused (it was down or stalled), oldest first, until
 * a pass writes them. Bounded: past this many, an outage this long is one
 * for `node ace history:reconcile`, and each note dropped is logged.
 */
const unwritten_notes: NoteRow[] = []
const unwritten_note_count_max = 10_000
const not_noted = 'movement with an unknown outcome not noted: run history:reconcile'

function keepUnwritten(row: NoteRow, failure: Error) {
  const err = { message: failure.message }
  if (unwritten_notes.length >= unwritten_note_count_max) {
    logger.error({ err, user_id: row.user_id }, not_noted)
    return
  }
  unwritten_notes.push(row)
  logger.warn(
    { err, user_id: row.user_id },
    'movement with an unknown outcome kept in memory until the database answers'
  )
}

/** Writes the notes kept in memory; on failure they stay, and the error is thrown. */
async function writeKeptNotes() {
  if (unwritten_notes.length === 0) return
  const rows = unwritten_notes.splice(0)
  try {
    await db.table('unsettled_payments').multiInsert(rows)
  } catch (error) {
    unwritten_notes.unshift(...rows)
    throw error
  }
}
