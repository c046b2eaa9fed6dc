import type { LedgerTransfer } from '#ledger/ledger_gateway'
import type { Parties } from '#history/history_types'

/**
 * What the app writes on the ledger transfers it makes, and how it reads
 * them back. The history and audit rows of a transfer can be written from
 * the ledger alone, so when the API never hears ledger-core's answer (a
 * timeout after the request was sent, a crash) the reconciler can still
 * write them.
 */

/** A payment between people, a refund of one, or a deposit into a person's wallet. */
export function paymentMetadata(parties: Parties & { kind: 'p2p' | 'deposit' | 'refund' }) {
  const metadata: Record<string, string> = { kind: parties.kind }
  if (parties.sender_id) metadata.sender_id = parties.sender_id
  if (parties.receiver_id) metadata.receiver_id = parties.receiver_id
  return metadata
}

/** The payment a ledger transfer records, or null for any other transfer. */
export function paymentOf(t: LedgerTransfer): Parties | null {
  const { kind, sender_id: sender, receiver_id: receiver } = t.metadata
  if ((kind === 'p2p' || kind === 'refund') && sender && receiver)
    return { kind, sender_id: sender, receiver_id: receiver }
  if (kind === 'deposit' && receiver)
    return { kind: 'deposit', sender_id: null, receiver_id: receiver }
  return null
}

/** Money staff move: a reversal of a transfer, or an adjustment of a wallet. */
export interface StaffMovement extends Parties {
  kind: 'reversal' | 'adjustment'
  actor_id: string
  reason: string
  /**
   * The request that asked for it. Not kept on the ledger transfer: it
   * differs on every retry, and ledger-core refuses a key reused with
   * another body. When the follow-up restores a movement, its note keeps it.
   */
  request_id?: string
}

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

/** A person whose wallet the movement touches: the follow-up finds it among their transfers. */
export function personOf(parties: Parties): string {
  return (parties.sender_id ?? parties.receiver_id)!
}
