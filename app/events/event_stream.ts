import { PassThrough } from 'node:stream'
import eventsConfig from '#config/events'
import type { EventRow } from '#events/event_catalogue'
import { eventFeed, eventsBetween } from '#events/event_feed'
import { eventToJson } from '#transformers/event_transformer'
import { isUuid } from '#validators/uuid'

/** How long a client waits before reconnecting, told once (SSE `retry:`). */
const reconnect_ms = 2_000

const open = new Set<PassThrough>()

/**
 * A person's events as Server-Sent Events: first what they missed after
 * `lastEventId` (the Last-Event-ID header a reconnecting client sends),
 * then each new one as it commits, each once and in order. Live events
 * that arrive while the missed ones are read wait behind them.
 */
export async function openEventStream(userId: string, lastEventId?: string) {
  const stream = new PassThrough()
  const write = (events: EventRow[]) => {
    for (const event of events) {
      const json = eventToJson(event)
      stream.write(`id: ${json.id}\nevent: ${json.type}\ndata: ${JSON.stringify(json)}\n\n`)
    }
  }
  let held: EventRow[] | null = []
  const { after, stop } = await eventFeed.subscribe(userId, (events) => {
    if (held) held.push(...events)
    else write(events)
  })
  stream.write(`retry: ${reconnect_ms}\n\n`)
  if (lastEventId && isUuid(lastEventId)) write(await eventsBetween(userId, lastEventId, after))
  write(held)
  held = null
  const heartbeat = setInterval(
    () => stream.write(': heartbeat\n\n'),
    eventsConfig.streamHeartbeatMs
  ).unref()
  const close = () => {
    clearInterval(heartbeat)
    stop()
    open.delete(stream)
    stream.end()
  }
  stream.on('close', close)
  open.add(stream)
  return { stream, close }
}

/** Ends every open stream: a stopping server must not wait for clients that never leave. */
export function closeEventStreams() {
  for (const stream of open) stream.end()
  open.clear()
}
