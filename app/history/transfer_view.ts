import { eventRow, type EventRow, type EventType } from '#events/event_catalogue'
import type { Party, TransferRecord } from '#history/history_types'

/**
 * A transfer as people see it, in the API's answers and in its events (the
 * same object, so a partner reads one shape). `names` holds its parties.
 */
export function transferView(r: TransferRecord, names: ReadonlyMap<string, Party>) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.reversed_by ? ('reversed' as const) : ('completed' as const),
    amount: r.amount,
    currency: r.currency,
    sender: r.sender_id ? (names.get(r.sender_id) ?? null) : null,
    receiver: r.receiver_id ? (names.get(r.receiver_id) ?? null) : null,
    description: r.description,
    reversal_of: r.reversal_of,
    refunded_amount: r.refunded_amount,
    created_at: new Date(r.created_at).toISOString(),
  }
}

const event_type_of: Record<TransferRecord['kind'], EventType> = {
  p2p: 'transfer.completed',
  deposit: 'deposit.completed',
  reversal: 'transfer.reversed',
  refund: 'transfer.refunded',
  adjustment: 'adjustment.created',
}

/** The event each person in a new transfer gets, its data the transfer as the API shows it. */
export function transferEvents(r: TransferRecord, names: ReadonlyMap<string, Party>): EventRow[] {
  const data = transferView(r, names)
  const people = [r.sender_id, r.receiver_id].filter((id): id is string => id !== null)
  return people.map((person) =>
    eventRow(event_type_of[r.kind], person, r.id, data, new Date(r.created_at))
  )
}
