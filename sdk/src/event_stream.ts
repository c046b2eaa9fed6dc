import type { components } from './generated/public.ts'
import { PurseApiError, PurseNetworkError, type Problem } from './errors.ts'

export type PurseEvent = components['schemas']['Event']

export interface EventStreamOptions {
  /** Resume after this event (its `id`); what came after it is sent first, once. */
  lastEventId?: string
  /** Ends the stream (and any reconnecting). */
  signal?: AbortSignal
}

/** How long to wait before reconnecting until the server says (`retry:`). */
const reconnect_ms_default = 2_000

/**
 * A person's events as they happen, over Server-Sent Events: an async
 * iterator that reconnects by itself after a dropped connection, sending
 * Last-Event-ID, so each event arrives once and in order. It ends only when
 * `signal` aborts, or throws a PurseApiError the server gave (401 with no
 * session to refresh, 403 for a key without events:read).
 */
export async function* eventStream(
  open: (headers: Record<string, string>, signal?: AbortSignal) => Promise<Response>,
  options: EventStreamOptions = {}
): AsyncGenerator<PurseEvent> {
  let lastEventId = options.lastEventId
  let reconnectMs = reconnect_ms_default
  while (!options.signal?.aborted) {
    let response: Response
    try {
      response = await open(
        { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        options.signal
      )
    } catch (error) {
      if (options.signal?.aborted) return
      if (!(error instanceof PurseNetworkError)) throw error
      await pause(reconnectMs, options.signal)
      continue
    }
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429
      if (!retryable) throw new PurseApiError((await response.json()) as Problem)
      await pause(reconnectMs, options.signal)
      continue
    }
    try {
      for await (const frame of frames(response.body!)) {
        if (frame.retry !== undefined) reconnectMs = frame.retry
        if (frame.data === undefined) continue
        if (frame.id) lastEventId = frame.id
        yield JSON.parse(frame.data) as PurseEvent
      }
    } catch (error) {
      if (options.signal?.aborted) return
      // A dropped connection: reconnect, asking for what came after the last event.
      if (!(error instanceof TypeError) && (error as Error).name !== 'AbortError') throw error
    }
    await pause(reconnectMs, options.signal)
  }
}

interface Frame {
  id?: string
  event?: string
  data?: string
  retry?: number
}

/** The frames of an SSE body (the WHATWG event-stream format), comments skipped. */
async function* frames(body: ReadableStream<Uint8Array>): AsyncGenerator<Frame> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let frame: Frame = {}
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1))
        if (line === '') {
          if (frame.data !== undefined || frame.retry !== undefined) yield frame
          frame = {}
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'data')
          frame.data = frame.data === undefined ? text : `${frame.data}\n${text}`
        else if (field === 'id') frame.id = text
        else if (field === 'event') frame.event = text
        else if (field === 'retry' && /^\d+$/.test(text)) frame.retry = Number(text)
      }
    }
  } finally {
    reader.releaseLock()
  }
}

function pause(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
