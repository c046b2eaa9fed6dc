import type User from '#models/user'
import { ledger, type LedgerTransfer } from '#ledger/ledger_gateway'
import { writeOne } from '#history/history_writer'
import { indexedIds, namesOf, recordOfTransfer } from '#history/history_reads'
import { paymentOf, staffMovementOf } from '#history/movement_metadata'
import { recordStaffMovement } from '#history/staff_movements'

/** Pages of a wallet's ledger history looked at per run, newest first. */
const reconcile_page_count_max = 20

/**
 * The app indexes a transfer after ledger-core committed it. A crash in
 * between leaves the money moved but the history row missing until the
 * caller retries. This puts such rows back from the ledger, whose
 * transfers carry the people in their metadata; a staff member's reversal
 * or adjustment also carries who made it and why, so its audit row comes
 * back with it.
 */
export class HistoryReconciler {
  /**
   * Returns how many missing rows it wrote. `requestIds` names, by ledger
   * key, the requests that asked for staff movements, for their audit rows.
   */
  async reconcileUser(
    user: User,
    requestIds: ReadonlyMap<string, string> = new Map()
  ): Promise<number> {
    const gateway = await ledger()
    let written = 0
    for (const account of await gateway.listAccounts(user.ownerRef)) {
      let cursor: string | undefined
      for (let page = 0; page < reconcile_page_count_max; page++) {
        const transfers = await gateway.listAccountTransfers(account.id, { limit: 100, cursor })
        const known = await indexedIds(transfers.data.map((t) => t.id))
        const missing = transfers.data.filter((t) => !known.has(t.id))
        for (const t of missing) {
          if (await restore(t, requestIds)) written++
        }
        // History is indexed in order, so a page with nothing missing means the rest is there too.
        if (missing.length === 0 || !transfers.next_cursor) break
        cursor = transfers.next_cursor
      }
    }
    return written
  }
}

/**
 * Writes back the rows of a transfer the app made, from the metadata it
 * wrote on it (nothing for any other transfer); says whether it wrote.
 */
async function restore(t: LedgerTransfer, requestIds: ReadonlyMap<string, string>) {
  const payment = paymentOf(t)
  if (payment) {
    const names = await namesOf([payment.sender_id, payment.receiver_id])
    return writeOne(recordOfTransfer(t, payment), names)
  }
  const movement = staffMovementOf(t)
  if (!movement) return false
  const requestId = t.idempotency_key ? requestIds.get(t.idempotency_key) : undefined
  return recordStaffMovement(t, { ...movement, request_id: requestId }, { restored: true })
}
