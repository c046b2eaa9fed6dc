import env from '#start/env'

const eventsConfig = {
  /**
   * Write events with the changes they record. Off only to measure what the
   * outbox costs a payment (EVENTS_OUTBOX=false); production always writes them.
   */
  outbox: env.get('NODE_ENV') === 'production' || env.get('EVENTS_OUTBOX') !== false,
  /** A comment line this often keeps proxies from closing a quiet event stream. */
  streamHeartbeatMs: env.get('EVENT_STREAM_HEARTBEAT_MS', 15_000),
}

export default eventsConfig
