/**
 * The webhooks module: a person's endpoints (where their events go, signed
 * per the Standard Webhooks specification), the deliveries the outbox queues
 * for them, and the dispatcher that makes each delivery at least once. It
 * needs the events module.
 */
import { randomBytes } from 'node:crypto'
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import webhooksConfig from '#config/webhooks'
import { ApiError } from '#exceptions/api_error'
import type { EventType } from '#events/event_catalogue'
import { pageByTime } from '#platform/time_pages'
import { urlRefusal } from '#webhooks/webhook_urls'

/** Endpoints one person may have. */
export const webhook_endpoint_count_max = 10

export interface WebhookEndpointRow {
  id: string
  user_id: string
  url: string
  description: string | null
  event_types: EventType[]
  enabled: boolean
  disabled_reason: string | null
  failing_since: Date | null
  previous_secret_expires_at: Date | null
  created_at: Date
  updated_at: Date
}

const columns = [
  'id',
  'user_id',
  'url',
  'description',
  'event_types',
  'enabled',
  'disabled_reason',
  'failing_since',
  'previous_secret_expires_at',
  'created_at',
  'updated_at',
]

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks writes them. */
function newSecret() {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/**
 * A person's webhook endpoints. The signing secret is shown once, when it is
 * made; it is kept encrypted with APP_KEY (a signature needs the secret
 * itself, so a hash would not do).
 */
export class WebhookEndpoints {
  async create(
    ownerId: string,
    input: { url: string; event_types?: EventType[]; description?: string; enabled?: boolean }
  ) {
    await requireAllowedUrl(input.url)
    const secret = newSecret()
    const now = new Date()
    const endpoint = await db.transaction(async (trx) => {
      await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `webhook-endpoints:${ownerId}`,
      ])
      const held = await trx
        .from('webhook_endpoints')
        .where('user_id', ownerId)
        .count('* as n')
        .first()
      if (Number(held.n) >= webhook_endpoint_count_max)
        throw new ApiError(
          'validation_failed',
          `A person has at most ${webhook_endpoint_count_max} webhook endpoints: delete one first`
        )
      const [row] = await trx
        .table('webhook_endpoints')
        .insert({
          id: uuidv7(),
          user_id: ownerId,
          url: input.url,
          description: input.description ?? null,
          event_types: [...new Set(input.event_types ?? [])],
          enabled: input.enabled ?? true,
          secret: encryption.encrypt(secret),
          created_at: now,
          updated_at: now,
        })
        .returning(columns)
      return row as WebhookEndpointRow
    })
    return { endpoint, secret }
  }

  async list(ownerId: string): Promise<WebhookEndpointRow[]> {
    return db
      .from('webhook_endpoints')
      .where('user_id', ownerId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select(columns)
  }

  /** One of the person's endpoints (any, for staff: no owner given). */
  async find(id: string, ownerId?: string): Promise<WebhookEndpointRow> {
    const query = db.from('webhook_endpoints').where('id', id).select(columns)
    if (ownerId) query.where('user_id', ownerId)
    const endpoint = await query.first()
    if (!endpoint) throw new ApiError('not_found', 'No such webhook endpoint')
    return endpoint
  }

  /** Change what is given; enabling again forgets why it was disabled and how long it failed. */
  async update(
    ownerId: string,
    id: string,
    input: {
      url?: string
      event_types?: EventType[]
      description?: string | null
      enabled?: boolean
    }
  ) {
    await this.find(id, ownerId)
    if (input.url !== undefined) await requireAllowedUrl(input.url)
    const changes: Record<string, unknown> = { updated_at: new Date() }
    if (input.url !== undefined) changes.url = input.url
    if (input.description !== undefined) changes.description = input.description
    if (input.event_types !== undefined) changes.event_types = [...new Set(input.event_types)]
    if (input.enabled !== undefined) {
      changes.enabled = input.enabled
      if (input.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null })
    }
    const [row] = await db
      .from('webhook_endpoints')
      .where('id', id)
      .where('user_id', ownerId)
      .update(changes)
      .returning(columns)
    return row as WebhookEndpointRow
  }

  /** Deleting an endpoint drops its queued deliveries and its attempts with it. */
  async delete(ownerId: string, id: string) {
    await this.find(id, ownerId)
    await db.from('webhook_endpoints').where('id', id).where('user_id', ownerId).delete()
  }

  /**
   * A new signing secret, shown once. The old one keeps signing beside it
   * for the overlap window, so a receiver can switch without dropping one.
   */
  async rotateSecret(ownerId: string, id: string) {
    await this.find(id, ownerId)
    const secret = newSecret()
    const [row] = await db
      .rawQuery(
        `UPDATE webhook_endpoints
       SET previous_secret = secret, secret = ?, previous_secret_expires_at = ?, updated_at = now()
       WHERE id = ? AND user_id = ?
       RETURNING ${columns.join(', ')}`,
        [
          encryption.encrypt(secret),
          new Date(Date.now() + webhooksConfig.secretOverlapMs),
          id,
          ownerId,
        ]
      )
      .then((result) => result.rows)
    return { endpoint: row as WebhookEndpointRow, secret }
  }

  /** The endpoint's attempts, newest first, in pages. */
  async attempts(endpointId: string, limit: number, cursor?: string) {
    const query = db
      .from('webhook_attempts')
      .where('endpoint_id', endpointId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select('*')
    return pageByTime(query, limit, cursor)
  }

  /** Deliver `eventId` to the endpoint once more (staff's "resend"); the event must be its owner's. */
  async resend(
    endpointId: string,
    eventId: string,
    client: TransactionClientContract | typeof db = db
  ) {
    const endpoint = await this.find(endpointId)
    const event = await client
      .from('events')
      .where('id', eventId)
      .where('user_id', endpoint.user_id)
      .first()
    if (!event) throw new ApiError('not_found', "No such event of the endpoint's owner")
    const [delivery] = await client
      .table('webhook_deliveries')
      .insert({
        endpoint_id: endpointId,
        event_id: eventId,
        next_attempt_at: new Date(),
        created_at: new Date(),
      })
      .returning(['id', 'status', 'created_at'])
    return { endpoint, delivery }
  }
}

async function requireAllowedUrl(url: string) {
  const refusal = await urlRefusal(url)
  if (refusal)
    throw new ApiError('validation_failed', `The webhook URL ${refusal}`, {
      errors: [{ field: 'url', message: refusal }],
    })
}

export const webhookEndpoints = new WebhookEndpoints()
