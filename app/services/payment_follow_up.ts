import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { HistoryReconciler } from '#services/history_reconciler'

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
export class PaymentFollowUp {
  readonly #intervalMs: number
  #timer?: NodeJS.Timeout
  /** The pass under way, if any. */
  #running?: Promise<number>
  /** When a pass last failed to reach ledger-core (ms since the epoch). */
  #lastFailureAt = 0

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs
  }

  /** Remember a payment of `userId` whose outcome is not known. */
  static async note(userId: string) {
    await db.table('unsettled_payments').insert({ user_id: userId, created_at: new Date() })
  }

  /**
   * A transfer ledger-core made whose rows the API could not write: logged,
   * and its person noted, so that a pass writes them from the ledger.
   */
  static async noteUnwritten(userId: string, transferId: string, error: unknown) {
    logger.error(
      { err: { message: (error as Error).message }, transfer_id: transferId },
      'transfer made but not indexed; noted for the follow-up'
    )
    await PaymentFollowUp.note(userId).catch((failure: Error) =>
      logger.error(
        { err: { message: failure.message }, transfer_id: transferId },
        'transfer made, not indexed and not noted: run history:reconcile'
      )
    )
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
    const startedAt = Date.now()
    const dueBefore = new Date(startedAt - this.#intervalMs)
    // A pass right after ledger-core answered again restores what it finds,
    // but settles nothing: a request it held may still be running.
    const conclusive = startedAt - this.#lastFailureAt >= this.#intervalMs
    const due = await db
      .from('unsettled_payments')
      .where('created_at', '<=', dueBefore)
      .distinct('user_id')
    const reconciler = await app.container.make(HistoryReconciler)
    let written = 0
    for (const { user_id: userId } of due) {
      const user = await User.find(userId)
      if (user) written += await reconciler.reconcileUser(user)
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
