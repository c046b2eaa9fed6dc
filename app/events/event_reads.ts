import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#exceptions/api_error'
import type { EventRow, EventType } from '#events/event_catalogue'
import { pageByTime } from '#platform/time_pages'

const columns = ['id', 'type', 'user_id', 'subject_id', 'data', 'created_at']

/** Events newest first, one person's (or, for staff, anyone's), in pages. */
export async function listEvents(filter: {
  userId?: string
  type?: EventType
  limit: number
  cursor?: string
}) {
  const query = db
    .from('events')
    .select(columns)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
  if (filter.userId) query.where('user_id', filter.userId)
  if (filter.type) query.where('type', filter.type)
  const page = await pageByTime(query, filter.limit, filter.cursor)
  return { data: page.data as EventRow[], next_cursor: page.next_cursor }
}

/** One of the person's events; the same answer whether it does not exist or is someone else's. */
export async function findEvent(userId: string, id: string): Promise<EventRow> {
  const event = await db
    .from('events')
    .where('id', id)
    .where('user_id', userId)
    .select(columns)
    .first()
  if (!event) throw new ApiError('not_found', 'No such event')
  return event
}
