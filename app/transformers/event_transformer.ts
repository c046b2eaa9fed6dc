import type { EventRow } from '#events/event_catalogue'

/** An event as the API, the stream and webhooks show it. */
export function eventToJson(event: EventRow) {
  return {
    id: event.id,
    type: event.type,
    created_at: new Date(event.created_at).toISOString(),
    user_id: event.user_id,
    data: event.data,
  }
}
