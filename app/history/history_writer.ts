/**
 * The history module: the app's index of transfers (the `transfers` table
 * people and support read), its one writer, its reads, the events each new
 * transfer gives its people, and the repair of rows a crash or an outage
 * kept from being written (follow-up notes and the reconciler). It
 * recognises what the app writes on ledger transfers (movement_metadata.ts),
 * and writes the audit row of a staff movement with its history row. It
 * needs the ledger, the audit log and the events outbox; it never imports
 * payments or staff.
 */
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import eventsConfig from '#config/events'
import type { EventRow } from '#events/event_catalogue'
import { eventColumns } from '#events/outbox'
import type { HistoryRow, Party, TransferRecord } from '#history/history_types'
import { transferEvents } from '#history/transfer_view'

/** What indexing a transfer writes: its row, and the event each of its people gets. */
interface Indexed {
  row: HistoryRow
  events: EventRow[]
}

function indexed(record: TransferRecord, names: ReadonlyMap<string, Party>): Indexed {
  return {
    row: {
      id: record.id,
      kind: record.kind,
      sender_id: record.sender_id,
      receiver_id: record.receiver_id,
      amount: record.amount,
      currency: record.currency,
      description: record.description,
      reversal_of: record.reversal_of,
      created_at: new Date(record.created_at).toISOString(),
    },
    events: eventsConfig.outbox ? transferEvents(record, names) : [],
  }
}

/** Rows per INSERT; past this the next flush takes the rest. */
const history_batch_count_max = 256

/**
 * Writes history rows for many concurrent payments in one statement: while
 * one flush is in flight, the rows that arrive wait for the next. A flush
 * starts at the end of the current turn of the event loop (setImmediate, no
 * timer), so the payments ledger-core answered together share the first
 * statement instead of the first of them going alone. Under load this turns
 * a commit (and its WAL flush) per payment into one per batch. If a batch
 * fails, its rows are written one by one, so one bad row fails only its own
 * payment.
 */
export class HistoryWriter {
  #queue: { item: Indexed; resolve: () => void; reject: (error: unknown) => void }[] = []
  #flushing = false

  /** Index a transfer, with its events; `names` holds its parties. */
  write(record: TransferRecord, names: ReadonlyMap<string, Party>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item: indexed(record, names), resolve, reject })
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
        await insert(batch.map((queued) => queued.item))
        for (const queued of batch) queued.resolve()
      } catch {
        for (const queued of batch) {
          await insert([queued.item]).then(queued.resolve, queued.reject)
        }
      }
    }
    this.#flushing = false
  }
}

/** The writer payments share. */
export const history = new HistoryWriter()

/**
 * Indexes one transfer now, with its events, in the caller's transaction if
 * it gives one (a staff movement writes its audit row beside it); true when
 * this call wrote it, false when it was there already (a replay, which must
 * not be counted, audited or announced twice).
 */
export async function writeOne(
  record: TransferRecord,
  names: ReadonlyMap<string, Party>,
  client: TransactionClientContract | typeof db = db
): Promise<boolean> {
  const { rows } = await insert([indexed(record, names)], client)
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
 * The one statement that writes `transfers`, and the events of the rows it
 * writes, together: an event is written only with its row, so a replayed
 * payment (its row kept, ON CONFLICT) announces nothing again. One array per
 * column, so the statement text (and its plan) is the same for any number
 * of rows. RETURNING names the rows this call wrote.
 */
function insert(
  items: Indexed[],
  client: TransactionClientContract | typeof db = db
): Promise<{ rows: { id: string }[] }> {
  const rows = items.map((item) => item.row)
  return client.rawQuery(
    `WITH new_transfers AS (
       INSERT INTO transfers (${columns.join(', ')})
       SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::uuid[], ?::timestamptz[])
       ON CONFLICT (id) DO NOTHING
       RETURNING id
     ), new_events AS (
       INSERT INTO events (id, type, user_id, subject_id, data, created_at)
       SELECT e.* FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::jsonb[], ?::timestamptz[])
         AS e(id, type, user_id, subject_id, data, created_at)
       WHERE e.subject_id IN (SELECT id FROM new_transfers)
       ON CONFLICT (type, user_id, subject_id) DO NOTHING
     )
     SELECT id FROM new_transfers`,
    [
      ...columns.map((column) => rows.map((row) => row[column])),
      ...eventColumns(items.flatMap((item) => item.events)),
    ]
  )
}
