import db from '@adonisjs/lucid/services/db'
import { audit } from '#services/audit_service'
import type { LedgerTransfer } from '#services/ledger_gateway'
import { recordTransfer } from '#services/transfer_service'

/** Money staff move: a reversal of a transfer, or an adjustment of a wallet. */
export interface StaffMovement {
  kind: 'reversal' | 'adjustment'
  /** The people whose history shows it (null: a system account). */
  sender_id: string | null
  receiver_id: string | null
  actor_id: string
  reason: string
  /**
   * The request that asked for it. Not kept on the ledger transfer (see
   * below): when the follow-up restores a movement, the note it left keeps it.
   */
  request_id?: string
}

/**
 * The movement as ledger-core keeps it on the transfer. What its history
 * row and audit row need is there, so when the API never hears ledger-core's
 * answer (a timeout after the request was sent) the follow-up can still
 * write both from the ledger. The request id is not: it differs on every
 * retry, and ledger-core refuses a key reused with another body.
 */
export function staffMovementMetadata(movement: StaffMovement): Record<string, string> {
  const metadata: Record<string, string> = {
    kind: movement.kind,
    actor_id: movement.actor_id,
    reason: movement.reason,
  }
  if (movement.sender_id) metadata.sender_id = movement.sender_id
  if (movement.receiver_id) metadata.receiver_id = movement.receiver_id
  return metadata
}

/** A person whose wallet the movement touches: the follow-up finds it among their transfers. */
export function personOf(movement: StaffMovement): string {
  return (movement.sender_id ?? movement.receiver_id)!
}

/** The staff movement a ledger transfer records, or null for any other transfer. */
export function staffMovementOf(t: LedgerTransfer): StaffMovement | null {
  const { kind, actor_id: actor, reason, sender_id: sender, receiver_id: receiver } = t.metadata
  if ((kind !== 'reversal' && kind !== 'adjustment') || !actor || !reason) return null
  if (!sender && !receiver) return null
  return {
    kind,
    sender_id: sender ?? null,
    receiver_id: receiver ?? null,
    actor_id: actor,
    reason,
  }
}

/**
 * Index a staff movement for its people's history and audit it, in one
 * transaction; says whether it wrote them. A movement already indexed (a
 * replayed request, or one the follow-up restored first) writes nothing and
 * is not audited twice. One the follow-up restores is audited as
 * `restored`: the staff member was told it may not have been made.
 */
export async function recordStaffMovement(
  t: LedgerTransfer,
  movement: StaffMovement,
  options: { restored?: boolean } = {}
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const written = await recordTransfer(
      t,
      { kind: movement.kind, sender_id: movement.sender_id, receiver_id: movement.receiver_id },
      trx
    )
    if (!written) return false
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
