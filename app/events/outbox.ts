import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { EventRow } from '#events/event_catalogue'

/**
 * Writes events in the caller's transaction, beside the row of their change.
 * An event already there (the same type, person and subject) is kept: a
 * repeated repair writes nothing twice.
 */
export async function writeEvents(
  events: EventRow[],
  client: TransactionClientContract | typeof db = db
) {
  if (events.length === 0) return
  await client.rawQuery(
    `INSERT INTO events (id, type, user_id, subject_id, data, created_at)
     SELECT * FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::jsonb[], ?::timestamptz[])
     ON CONFLICT (type, user_id, subject_id) DO NOTHING`,
    eventColumns(events)
  )
}

/** The events as one array per column, for an unnest() insert. */
export function eventColumns(events: EventRow[]) {
  return [
    events.map((e) => e.id),
    events.map((e) => e.type),
    events.map((e) => e.user_id),
    events.map((e) => e.subject_id),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => e.created_at),
  ]
}
