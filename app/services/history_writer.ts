import db from '@adonisjs/lucid/services/db'

/** A row of the app's transfers index (the history people and support read). */
export interface HistoryRow {
  id: string
  kind: string
  sender_id: string | null
  receiver_id: string | null
  amount: number
  currency: string
  description: string | null
  reversal_of: string | null
  created_at: string
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
 * One array per column, so the statement text (and its plan) is the same for
 * any number of rows and the driver sends nine parameters, not nine per row.
 * A replayed payment writes its row again: the first one stays.
 */
function insert(rows: HistoryRow[]) {
  return db.rawQuery(
    `INSERT INTO transfers (${columns.join(', ')})
     SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::uuid[], ?::timestamptz[])
     ON CONFLICT (id) DO NOTHING`,
    columns.map((column) => rows.map((row) => row[column]))
  )
}

export const history = new HistoryWriter()
