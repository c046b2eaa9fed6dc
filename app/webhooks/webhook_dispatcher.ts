import encryption from '@adonisjs/core/services/encryption'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { isIP } from 'node:net'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { Agent, request } from 'undici'
import webhooksConfig from '#config/webhooks'
import env from '#start/env'
import type { EventRow } from '#events/event_catalogue'
import { eventToJson } from '#transformers/event_transformer'
import { addressAllowed, guardedLookup } from '#webhooks/webhook_urls'

/** A receiver has this long to answer 2xx; after it the attempt failed. */
const delivery_timeout_ms = 10_000
/** The first bytes of a receiver's answer kept with each attempt, for its owner to read. */
const response_body_kept_bytes = 512
/** How often a dispatcher looks for retries that came due, besides being woken at each commit. */
const poll_ms = 1_000

/** A delivery claimed for one lease, with its event and its endpoint as they are now. */
interface Claimed {
  id: string
  attempts: number
  created_at: Date
  event: EventRow
  endpoint: {
    id: string
    url: string
    enabled: boolean
    secret: string
    previous_secret: string | null
    previous_secret_expires_at: Date | null
    failing_since: Date | null
  }
}

/**
 * Delivers the outbox's webhook deliveries, at least once each: safe to run
 * as several processes (`node ace webhooks:work`). A dispatcher claims due
 * deliveries with FOR UPDATE SKIP LOCKED and holds each for a lease; one
 * that dies mid-delivery lets go when the lease ends, and another makes
 * the delivery again (receivers de-duplicate by the webhook-id header, the
 * event's id). Each attempt is signed per Standard Webhooks, recorded, and
 * on failure retried later with exponential back-off and jitter.
 */
export class WebhookDispatcher {
  readonly #agent = new Agent({
    connect: { lookup: guardedLookup as never, timeout: delivery_timeout_ms },
    headersTimeout: delivery_timeout_ms,
    bodyTimeout: delivery_timeout_ms,
  })
  readonly #inFlight = new Set<Promise<void>>()
  #stopping = false
  #listener?: pg.Client
  #waiter?: () => void
  #woken = false
  #timer?: NodeJS.Timeout
  #loop?: Promise<void>

  start() {
    this.#timer = setInterval(() => this.#signal(), poll_ms)
    void this.#listen()
    this.#loop = this.#run()
    return this
  }

  /** Stop claiming, and finish what is in flight (SIGTERM). */
  async stop() {
    this.#stopping = true
    clearInterval(this.#timer)
    this.#signal()
    await this.#loop
    await Promise.all(this.#inFlight)
    await this.#listener?.end().catch(() => {})
    await this.#agent.close()
  }

  async #listen() {
    const client = new pg.Client({ connectionString: env.get('DATABASE_URL') })
    client.on('notification', () => this.#signal())
    client.on('error', () => (this.#listener = undefined))
    try {
      await client.connect()
      await client.query('LISTEN purse_events')
      this.#listener = client
    } catch (error) {
      logger.warn(
        { err: { message: (error as Error).message } },
        'dispatcher cannot listen; polling'
      )
    }
  }

  async #run() {
    while (!this.#stopping) {
      const room = webhooksConfig.concurrency - this.#inFlight.size
      const claimed = room > 0 ? await this.#claim(room).catch(failedClaim) : []
      for (const delivery of claimed) {
        const done: Promise<void> = this.#deliver(delivery)
          .catch((error: Error) =>
            logger.error(
              { err: { message: error.message }, delivery_id: delivery.id },
              'webhook delivery failed to record'
            )
          )
          .finally(() => {
            this.#inFlight.delete(done)
            this.#signal()
          })
        this.#inFlight.add(done)
      }
      // Until a commit queues deliveries, a retry comes due, or a slot frees.
      await this.#sleep()
    }
  }

  #signal() {
    const waiter = this.#waiter
    this.#waiter = undefined
    if (waiter) waiter()
    else this.#woken = true
  }

  async #sleep() {
    if (this.#woken) {
      this.#woken = false
      return
    }
    await new Promise<void>((resolve) => (this.#waiter = resolve))
  }

  /**
   * Take up to `count` due deliveries nobody holds, for one lease, with
   * their events and endpoints: one round trip for all of them.
   */
  async #claim(count: number): Promise<Claimed[]> {
    const { rows } = await db.rawQuery(
      `WITH due AS (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= now()
           AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d
         SET lease_until = now() + make_interval(secs => ? / 1000.0), attempts = d.attempts + 1
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.endpoint_id, d.event_id, d.attempts, d.created_at
       )
       SELECT c.id, c.attempts, c.created_at,
         json_build_object('id', e.id, 'type', e.type, 'user_id', e.user_id, 'subject_id', e.subject_id,
           'data', e.data, 'created_at', e.created_at) AS event,
         json_build_object('id', w.id, 'url', w.url, 'enabled', w.enabled, 'secret', w.secret,
           'previous_secret', w.previous_secret, 'previous_secret_expires_at', w.previous_secret_expires_at,
           'failing_since', w.failing_since) AS endpoint
       FROM claimed c JOIN events e ON e.id = c.event_id JOIN webhook_endpoints w ON w.id = c.endpoint_id`,
      [count, webhooksConfig.leaseMs]
    )
    return rows
  }

  async #deliver(delivery: Claimed) {
    const { endpoint, event } = delivery
    const startedAt = new Date()
    const outcome = endpoint.enabled
      ? await this.#post(endpoint, event, startedAt)
      : { error: 'the endpoint was disabled before this delivery' }
    const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300
    const gone = outcome.status === 410
    const expired =
      Date.now() - new Date(delivery.created_at).getTime() >= webhooksConfig.retryForMs
    const failingSince = endpoint.failing_since ? new Date(endpoint.failing_since) : startedAt
    const disabledReason = !endpoint.enabled
      ? null
      : gone
        ? `It answered 410 Gone on ${startedAt.toISOString()}`
        : !ok && Date.now() - failingSince.getTime() >= webhooksConfig.retryForMs
          ? `Every delivery failed from ${failingSince.toISOString()} to ${startedAt.toISOString()}`
          : null
    const retryAt = new Date(Date.now() + backoffMs(delivery.attempts))
    // The attempt, the delivery's next state and the endpoint's health, in one statement.
    await db.rawQuery(
      `WITH attempt AS (
         INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, attempt, created_at,
           duration_ms, response_status, response_body, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ), delivery AS (
         UPDATE webhook_deliveries
         SET status = ?, next_attempt_at = ?, delivered_at = ?, lease_until = NULL
         WHERE id = ?
       )
       UPDATE webhook_endpoints
       SET failing_since = ?, enabled = enabled AND ?::text IS NULL,
         disabled_reason = coalesce(?, disabled_reason)
       WHERE id = ?`,
      [
        delivery.id,
        endpoint.id,
        event.id,
        delivery.attempts,
        startedAt,
        Date.now() - startedAt.getTime(),
        outcome.status ?? null,
        outcome.body ?? null,
        outcome.error ?? null,
        ok ? 'delivered' : gone || expired || !endpoint.enabled ? 'failed' : 'pending',
        retryAt,
        ok ? new Date() : null,
        delivery.id,
        ok ? null : failingSince,
        disabledReason,
        disabledReason,
        endpoint.id,
      ]
    )
    // Come back for the retry when it is due, not at the next poll.
    if (!ok) setTimeout(() => this.#signal(), retryAt.getTime() - Date.now()).unref()
  }

  /** One signed POST; what came back, or why nothing did. */
  async #post(endpoint: Claimed['endpoint'], event: EventRow, at: Date) {
    const url = new URL(endpoint.url)
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(host) && !addressAllowed(host))
      return { error: `${host} is an address webhooks may not reach` }
    const body = JSON.stringify(eventToJson(event))
    try {
      const signature = signatures(endpoint, event.id, at, body)
      const answer = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Purse-Webhooks/1.0',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(delivery_timeout_ms),
      })
      const text = await answer.body.text()
      return { status: answer.statusCode, body: text.slice(0, response_body_kept_bytes) }
    } catch (error) {
      if (error instanceof SecretUnreadable) logger.error(error.message)
      return { error: ((error as Error).message || 'no answer').slice(0, 300) }
    }
  }
}

/**
 * The signature of the current secret, and of the previous one while its
 * overlap lasts: a receiver that has either verifies (the spec's list).
 */
function signatures(endpoint: Claimed['endpoint'], id: string, at: Date, body: string) {
  const sealed = [endpoint.secret]
  if (endpoint.previous_secret && new Date(endpoint.previous_secret_expires_at!) > at)
    sealed.push(endpoint.previous_secret)
  return sealed.map((secret) => signer(secret).sign(id, at, body)).join(' ')
}

/** Signers by sealed secret: decrypting and decoding a secret once, not at every delivery. */
const signers = new Map<string, Webhook>()
const signer_count_max = 10_000

function signer(sealed: string): Webhook {
  let found = signers.get(sealed)
  if (found) return found
  const secret = encryption.decrypt<string>(sealed)
  if (typeof secret !== 'string') throw new SecretUnreadable()
  found = new Webhook(secret)
  if (signers.size >= signer_count_max) signers.delete(signers.keys().next().value!)
  signers.set(sealed, found)
  return found
}

/** Secrets are encrypted with APP_KEY: a dispatcher with another key cannot sign. */
class SecretUnreadable extends Error {
  constructor() {
    super(
      "the endpoint's signing secret cannot be decrypted: this dispatcher's APP_KEY differs from the API's"
    )
  }
}

/** Exponential, with jitter: half the step, plus up to the other half at random. */
export function backoffMs(attempt: number) {
  const step = Math.min(webhooksConfig.retryCapMs, webhooksConfig.retryBaseMs * 2 ** (attempt - 1))
  return Math.round(step / 2 + (Math.random() * step) / 2)
}

function failedClaim(error: Error): Claimed[] {
  logger.warn({ err: { message: error.message } }, 'webhook deliveries not claimed')
  return []
}
