import db from '@adonisjs/lucid/services/db'
import type { TransferRecord } from '#services/transfer_service'

/** Transfers as the API shows them, with both parties' public names. */
export async function transfersToJson(records: TransferRecord[]) {
  const ids = [
    ...new Set(records.flatMap((r) => [r.sender_id, r.receiver_id]).filter(Boolean)),
  ] as string[]
  const people = ids.length
    ? await db.from('users').whereIn('id', ids).select('id', 'full_name')
    : []
  const byId = new Map(
    people.map((p) => [p.id, { id: p.id as string, full_name: p.full_name as string }])
  )
  return records.map((r) => transferToJson(r, byId))
}

type Party = { id: string; full_name: string }

export function transferToJson(r: TransferRecord, people: Map<string, Party>) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.reversed_by ? ('reversed' as const) : ('completed' as const),
    amount: r.amount,
    currency: r.currency,
    sender: r.sender_id ? (people.get(r.sender_id) ?? null) : null,
    receiver: r.receiver_id ? (people.get(r.receiver_id) ?? null) : null,
    description: r.description,
    created_at: new Date(r.created_at).toISOString(),
  }
}
