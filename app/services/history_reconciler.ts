import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import type { LedgerTransfer } from '#services/ledger_gateway'
import { recordStaffMovement, staffMovementOf } from '#services/staff_movements'
import { recordTransfer } from '#services/transfer_service'
import { WalletService } from '#services/wallet_service'

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
@inject()
export class HistoryReconciler {
  constructor(protected wallets: WalletService) {}

  /**
   * Returns how many missing rows it wrote. `requestIds` names, by ledger
   * key, the requests that asked for staff movements, for their audit rows.
   */
  async reconcileUser(
    user: User,
    requestIds: ReadonlyMap<string, string> = new Map()
  ): Promise<number> {
    const ledger = await this.wallets.ledger()
    let written = 0
    for (const account of await ledger.listAccounts(user.ownerRef)) {
      let cursor: string | undefined
      for (let page = 0; page < reconcile_page_count_max; page++) {
        const transfers = await ledger.listAccountTransfers(account.id, { limit: 100, cursor })
        const known = await this.knownIds(transfers.data)
        const missing = transfers.data.flatMap((t) =>
          known.has(t.id) ? [] : restorer(t, requestIds)
        )
        for (const restore of missing) {
          if (await restore()) written++
        }
        // History is indexed in order, so a page with nothing missing means the rest is there too.
        if (missing.length === 0 || !transfers.next_cursor) break
        cursor = transfers.next_cursor
      }
    }
    return written
  }

  private async knownIds(transfers: LedgerTransfer[]): Promise<Set<string>> {
    if (transfers.length === 0) return new Set()
    const rows = await db
      .from('transfers')
      .whereIn(
        'id',
        transfers.map((t) => t.id)
      )
      .select('id')
    return new Set(rows.map((r) => r.id))
  }
}

/**
 * How to write back the rows of a transfer the app made, from the metadata
 * it wrote on it (none for any other transfer). Each says whether it wrote.
 */
function restorer(
  t: LedgerTransfer,
  requestIds: ReadonlyMap<string, string>
): (() => Promise<boolean>)[] {
  const payment = people(t)
  if (payment) return [() => recordTransfer(t, payment)]
  const movement = staffMovementOf(t)
  if (!movement) return []
  const requestId = t.idempotency_key ? requestIds.get(t.idempotency_key) : undefined
  return [() => recordStaffMovement(t, { ...movement, request_id: requestId }, { restored: true })]
}

/** Who a payment was between, from the metadata the app wrote on it. */
function people(t: LedgerTransfer) {
  const { kind, sender_id: sender, receiver_id: receiver } = t.metadata
  if (kind === 'p2p' && sender && receiver)
    return { kind: 'p2p' as const, sender_id: sender, receiver_id: receiver }
  if (kind === 'deposit' && receiver)
    return { kind: 'deposit' as const, sender_id: null, receiver_id: receiver }
  return null
}
