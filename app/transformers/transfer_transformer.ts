import type { LedgerEntry, LedgerTransfer } from '#ledger/ledger_gateway'
import { namesOf } from '#history/history_reads'
import type { TransferRecord } from '#history/history_types'
import { transferView } from '#history/transfer_view'
import type { AccountOwner } from '#staff/staff_queries'

/** Transfers as the API shows them, with both parties' public names. */
export async function transfersToJson(records: TransferRecord[]) {
  const names = await namesOf(records.flatMap((r) => [r.sender_id, r.receiver_id]))
  return records.map((r) => transferView(r, names))
}

export async function transferToJsonWithNames(record: TransferRecord) {
  return (await transfersToJson([record]))[0]!
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
