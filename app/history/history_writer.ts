/**
 * The history module: the app's index of transfers (the `transfers` table
 * people and support read), its one writer, its reads, and the repair of
 * rows a crash or an outage kept from being written (follow-up notes and
 * the reconciler). It recognises what the app writes on ledger transfers
 * (movement_metadata.ts), and writes the audit row of a staff movement
 * with its history row. It needs the ledger and the audit log; it never
 * imports payments or staff.
 */
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { LedgerTransfer } from '#ledger/ledger_gateway'

export type TransferKind = 'p2p' | 'deposit' | 'reversal' | 'adjustment'

/** Who a transfer is between, as the history shows it (null: a system account). */
export interface Parties {
  kind: TransferKind
  sender_id: string | null
  receiver_id: string | null
}

/** A row of the app's transfers index. */
export interface HistoryRow {
  id: string
  kind: TransferKind
  sender_id: string | null
  receiver_id: string | null
  amount: number
  currency: string
  description: string | null
  reversal_of: string | null
  created_at: string
}

export function historyRowOf(t: LedgerTransfer, parties: Parties): HistoryRow {
  return {
    id: t.id,
    kind: parties.kind,
    sender_id: parties.sender_id,
    receiver_id: parties.receiver_id,
    amount: t.amount,
    currency: t.currency,
    description: t.description,
    reversal_of: t.reversal_of,
    created_at: t.created_at,
  }
}

/** Rows per INSERT; past this the next flush takes the rest. */
const history_batch_count_max = 256

/**
 * Writes history rows for many concurrent payments in one INSERT: while one
 * flush is in flight, the rows that arrive wait for the next. A flush starts
 * at the end of the current turn of the event loop (setImmediate, no timer),
 * so the payments ledger-core answered together share the first INSERT
 * instead of the first of them going alone. Under load this turns a commit
 * (and its WAL flush) per payment into one per batch. If a batch fails, its
 * rows are written one by one, so one bad row fails only its own payment.
 */
export class HistoryWriter {
  #queue: { row: HistoryRow; resolve: () => void; reject: (error: unknown) => void }[] = []
  #flushing = false

  write(row: HistoryRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, resolve, reject })
      if (!this.#flushing) {
        this.#flushing = true
        setImmediate(() => void this.#flush())
      }
    })
  }

  async #flush() {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, history_batch_count_max)
      try {
        await insert(batch.map((item) => item.row))
        for (const item of batch) item.resolve()
      } catch {
        for (const item of batch) {
          await insert([item.row]).then(item.resolve, item.reject)
        }
      }
    }
    this.#flushing = false
  }
}

/** The writer payments share. */
export const history = new HistoryWriter()

/**
 * Writes one transfer's row now, in the caller's transaction if it gives
 * one (a staff movement writes its audit row beside it); true when this
 * call wrote it, false when it was there already (a replay, which must not
 * be counted or audited twice).
 */
export async function writeOne(
  row: HistoryRow,
  client: TransactionClientContract | typeof db = db
): Promise<boolean> {
  const { rows } = await insert([row], client)
  return rows.length > 0
}

const columns = [
  'id',
  'kind',
  'sender_id',
  'receiver_id',
  'amount',
  'currency',
  'description',
  'reversal_of',
  'created_at',
] as const satisfies readonly (keyof HistoryRow)[]

/**
 * The one INSERT into `transfers`. One array per column, so the statement
 * text (and its plan) is the same for any number of rows and the driver
 * sends nine parameters, not nine per row. A row written again (a replayed
 * payment) keeps the first; RETURNING names the rows this call wrote.
 */
function insert(
  rows: HistoryRow[],
  client: TransactionClientContract | typeof db = db
): Promise<{ rows: { id: string }[] }> {
  return client.rawQuery(
    `INSERT INTO transfers (${columns.join(', ')})
     SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::uuid[], ?::timestamptz[])
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    columns.map((column) => rows.map((row) => row[column]))
  )
}
