import db from '@adonisjs/lucid/services/db'
import { audit } from '#audit/audit_log'
import type { LedgerTransfer } from '#ledger/ledger_gateway'
import { namesOf, recordOfTransfer } from '#history/history_reads'
import { writeOne } from '#history/history_writer'
import type { StaffMovement } from '#history/movement_metadata'

/**
 * Index a staff movement for its people's history (with its events) and
 * audit it, in one transaction; says whether it wrote them. A movement already indexed (a
 * replayed request, or one the follow-up restored first) writes nothing and
 * is not audited twice. One the follow-up restores is audited as
 * `restored`: the staff member was told it may not have been made.
 */
export async function recordStaffMovement(
  t: LedgerTransfer,
  movement: StaffMovement,
  options: { restored?: boolean } = {}
): Promise<boolean> {
  const record = recordOfTransfer(t, movement)
  const names = await namesOf([movement.sender_id, movement.receiver_id])
  return db.transaction(async (trx) => {
    if (!(await writeOne(record, names, trx))) return false
    await audit.record(
      {
        actorId: movement.actor_id,
        action: movement.kind === 'reversal' ? 'transfer.reverse' : 'wallet.adjust',
        targetType: movement.kind === 'reversal' ? 'transfer' : 'wallet',
        targetId: targetOf(t, movement),
        reason: movement.reason,
        requestId: movement.request_id,
        details: {
          ledger_transfer_id: t.id,
          amount: t.amount,
          currency: t.currency,
          ...(options.restored ? { restored: true } : {}),
        },
      },
      trx
    )
    return true
  })
}

/** A reversal's target is the transfer it reverses; an adjustment's, the person's wallet. */
function targetOf(t: LedgerTransfer, movement: StaffMovement): string {
  if (movement.kind === 'reversal') return t.reversal_of!
  return movement.receiver_id ? t.credit_account_id : t.debit_account_id
}
