/**
 * The events module: the outbox of changes people and partners care about.
 * Each event is written in the database transaction of the change it
 * records, by the module that makes the change (history, staff, identity),
 * so there is never an event without its change nor a change without its
 * event. Events are read back as a list, one by one, as a live stream per
 * person, and are delivered to webhooks (app/webhooks). It needs nothing
 * from the app's other modules.
 */
import { v7 as uuidv7 } from 'uuid'

/** Every event type, in the contract's order (openapi/public.yaml, Event). */
export const event_types = [
  'transfer.completed',
  'transfer.reversed',
  'transfer.refunded',
  'deposit.completed',
  'adjustment.created',
  'account.frozen',
  'account.unfrozen',
  'api_key.created',
  'api_key.revoked',
] as const

export type EventType = (typeof event_types)[number]

/** An event as the outbox keeps it. `subject_id` is what changed: a transfer, an audit row, a key. */
export interface EventRow {
  id: string
  type: EventType
  user_id: string
  subject_id: string
  data: Record<string, unknown>
  created_at: Date
}

/** A new event about `userId`, with a time-ordered id. */
export function eventRow(
  type: EventType,
  userId: string,
  subjectId: string,
  data: Record<string, unknown>,
  at: Date = new Date()
): EventRow {
  return { id: uuidv7(), type, user_id: userId, subject_id: subjectId, data, created_at: at }
}
