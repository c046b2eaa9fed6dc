import db from '@adonisjs/lucid/services/db'
import type { LedgerEntry, LedgerTransfer } from '#ledger/ledger_gateway'
import type { TransferRecord } from '#history/history_reads'
import type { AccountOwner } from '#staff/staff_queries'

type Party = { id: string; full_name: string }

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

export async function transferToJsonWithNames(record: TransferRecord) {
  return (await transfersToJson([record]))[0]!
}

/** One transfer, its parties' names at hand. */
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

/** A transfer for support: the indexed record, its ledger record and its entries. */
export async function adminTransferToJson(detail: {
  record: TransferRecord
  ledger: LedgerTransfer
  entries: { entry: LedgerEntry; owner: AccountOwner }[]
}) {
  const { record, ledger, entries } = detail
  return {
    ...(await transferToJsonWithNames(record)),
    reversed_by: record.reversed_by,
    ledger: {
      id: ledger.id,
      debit_account_id: ledger.debit_account_id,
      credit_account_id: ledger.credit_account_id,
      amount: ledger.amount,
      reversed_amount: ledger.reversed_amount,
      status: ledger.status,
      reversal_of: ledger.reversal_of,
      idempotency_key: ledger.idempotency_key,
      metadata: ledger.metadata,
    },
    entries: entries.map(({ entry, owner }) => ({
      id: entry.id,
      account_id: entry.account_id,
      owner,
      direction: entry.direction,
      amount: entry.amount,
      balance_after: entry.balance_after,
      created_at: entry.created_at,
    })),
  }
}
