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
 * flush is in flight, the rows that arrive wait for the next, so there is no
 * timer and no added delay when it is quiet. Under load this turns a commit
 * (and its WAL flush) per payment into one per batch. If a batch fails, its
 * rows are written one by one, so one bad row fails only its own payment.
 */
export class HistoryWriter {
  #queue: { row: HistoryRow; resolve: () => void; reject: (error: unknown) => void }[] = []
  #flushing = false

  write(row: HistoryRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ row, resolve, reject })
      if (!this.#flushing) void this.#flush()
    })
  }

  async #flush() {
    this.#flushing = true
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

/** A replayed payment writes its row again: the first one stays. */
function insert(rows: HistoryRow[]) {
  return db.table('transfers').multiInsert(rows).onConflict('id').ignore()
}

export const history = new HistoryWriter()
