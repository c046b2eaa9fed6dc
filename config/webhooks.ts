import env from '#start/env'

const day_ms = 24 * 60 * 60 * 1000

/** Webhook delivery, as the operator sets it. */
const webhooksConfig = {
  /**
   * Endpoints on loopback over plain http (http://127.0.0.1, http://localhost),
   * for development and tests: off unless WEBHOOKS_ALLOW_LOCAL=true, and
   * never in production, where an endpoint is https to a public address.
   */
  allowLocal: env.get('NODE_ENV') !== 'production' && env.get('WEBHOOKS_ALLOW_LOCAL') === true,
  /** The first retry waits about this long; each next one twice as long, with full jitter. */
  retryBaseMs: env.get('WEBHOOK_RETRY_BASE_MS', 10_000),
  /** No wait between two tries is longer than this. */
  retryCapMs: env.get('WEBHOOK_RETRY_CAP_MS', 6 * 60 * 60 * 1000),
  /** An event is tried for this long; an endpoint failing this long is disabled. */
  retryForMs: env.get('WEBHOOK_RETRY_FOR_MS', 3 * day_ms),
  /** A dispatcher holds a delivery this long; one that died mid-delivery lets go after it. */
  leaseMs: env.get('WEBHOOK_LEASE_MS', 30_000),
  /** After a secret is rotated, the old one signs beside the new one this long. */
  secretOverlapMs: env.get('WEBHOOK_SECRET_OVERLAP_MS', day_ms),
  /** Deliveries one dispatcher makes at once. */
  concurrency: env.get('WEBHOOK_CONCURRENCY', 16),
}

export default webhooksConfig
