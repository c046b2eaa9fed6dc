import { createHash, randomBytes } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import { ApiError } from '#exceptions/api_error'
import { eventRow } from '#events/event_catalogue'
import { writeEvents } from '#events/outbox'
import User from '#models/user'
import { RecentValues } from '#platform/recent_values'
import type { ApiKeyRow, Scope } from '#identity/api_key_types'
import { apiKeyToJson } from '#transformers/api_key_transformer'

/** Live keys one person may hold at once. */
export const api_key_count_max = 25
/** A key looked up is trusted this long: a revocation reaches every replica within it. */
const api_key_cache_ms = 1_000
/** How often the last use of each key is written, in one statement for all of them. */
const last_used_flush_ms = 10_000

/** The key a request was made with, and its owner. */
export interface ApiKeyGrant {
  key: ApiKeyRow
  user: User
}

/** `purse_live_` on a production server, `purse_test_` anywhere else: a scanner can tell them apart. */
export function keyPrefix(): string {
  return app.inProduction ? 'purse_live_' : 'purse_test_'
}

/** Whether a bearer token is one of ours by its shape (any environment). */
export function looksLikeApiKey(token: string): boolean {
  return /^purse_(test|live)_[A-Za-z0-9_-]{43}$/.test(token)
}

const columns: string[] = [
  'id',
  'user_id',
  'name',
  'prefix',
  'scopes',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
]

/**
 * API keys: credentials a partner's server holds instead of a person's
 * password. The secret (256 random bits) is shown once and kept only as
 * its SHA-256; a slow password hash would add nothing to a secret nobody
 * can guess, and would cost every request.
 */
export class ApiKeys {
  readonly #recent = new RecentValues<{ key: ApiKeyRow; hash: string }>(api_key_cache_ms)
  readonly #lastUsed = new Map<string, Date>()
  #flusher?: NodeJS.Timeout

  async create(owner: User, input: { name: string; scopes: Scope[]; expires_at?: Date }) {
    if (input.expires_at && input.expires_at <= new Date())
      throw new ApiError('validation_failed', 'An API key must expire in the future', {
        errors: [{ field: 'expires_at', message: 'must be in the future' }],
      })
    const secret = `${keyPrefix()}${randomBytes(32).toString('base64url')}`
    const key: ApiKeyRow = {
      id: uuidv7(),
      user_id: owner.id,
      name: input.name,
      prefix: secret.slice(0, keyPrefix().length + 6),
      scopes: [...new Set(input.scopes)].sort() as Scope[],
      created_at: new Date(),
      last_used_at: null,
      expires_at: input.expires_at ?? null,
      revoked_at: null,
    }
    await db.transaction(async (trx) => {
      // One at a time per person, so two creations cannot both slip under the limit.
      await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `api-keys:${owner.id}`,
      ])
      const live = await trx
        .from('api_keys')
        .where('user_id', owner.id)
        .whereNull('revoked_at')
        .count('* as count')
        .first()
      if (Number(live.count) >= api_key_count_max)
        throw new ApiError(
          'validation_failed',
          `A person holds at most ${api_key_count_max} live API keys: revoke one first`
        )
      await trx.table('api_keys').insert({ ...key, secret_hash: sha256(secret) })
      await writeEvents([eventRow('api_key.created', owner.id, key.id, apiKeyToJson(key))], trx)
    })
    return { key, secret }
  }

  /** The person's keys, newest first, revoked ones included. */
  async list(ownerId: string): Promise<ApiKeyRow[]> {
    return db
      .from('api_keys')
      .where('user_id', ownerId)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select(columns)
  }

  /**
   * Revoke a key: its owner's, or any for staff (`within` writes their audit
   * row in the same transaction). Revoking again changes nothing.
   */
  async revoke(
    keyId: string,
    options: {
      ownerId?: string
      within?: (trx: TransactionClientContract, key: ApiKeyRow) => Promise<void>
    }
  ): Promise<ApiKeyRow> {
    const revoked = await db.transaction(async (trx) => {
      const query = trx
        .from('api_keys')
        .where('id', keyId)
        .forUpdate()
        .select([...columns, 'secret_hash'])
      if (options.ownerId) query.where('user_id', options.ownerId)
      const { secret_hash: hash, ...key }: ApiKeyRow & { secret_hash: string } =
        (await query.first()) ?? notFound()
      // This replica refuses it at once; the others within a second.
      this.#recent.forget(hash)
      if (key.revoked_at) return key
      key.revoked_at = new Date()
      await trx.from('api_keys').where('id', key.id).update({ revoked_at: key.revoked_at })
      await writeEvents([eventRow('api_key.revoked', key.user_id, key.id, apiKeyToJson(key))], trx)
      await options.within?.(trx, key)
      return key
    })
    return revoked
  }

  /**
   * The key a bearer secret names, with its owner, or null when there is
   * none or it is revoked or expired. Remembered for a second per replica,
   * so a revocation takes effect everywhere within it.
   */
  async authenticate(secret: string): Promise<ApiKeyGrant | null> {
    const hash = sha256(secret)
    const found = await this.#recent.get(hash, async () => {
      const key: ApiKeyRow | null = await db
        .from('api_keys')
        .where('secret_hash', hash)
        .select(columns)
        .first()
      return key ? { key, hash } : null
    })
    if (!found) return null
    const { key } = found
    if (key.revoked_at || (key.expires_at && key.expires_at <= new Date())) return null
    const user = await User.find(key.user_id)
    if (!user) return null
    this.#noteUse(key.id)
    return { key, user }
  }

  /** Last use is written in batches: a write per request would cost more than the request. */
  #noteUse(keyId: string) {
    this.#lastUsed.set(keyId, new Date())
    if (this.#flusher) return
    this.#flusher = setInterval(() => void this.flushLastUsed(), last_used_flush_ms).unref()
    app.terminating(() => this.flushLastUsed())
  }

  async flushLastUsed() {
    if (this.#lastUsed.size === 0) return
    const uses = [...this.#lastUsed]
    this.#lastUsed.clear()
    await db
      .rawQuery(
        `UPDATE api_keys SET last_used_at = u.at
         FROM unnest(?::uuid[], ?::timestamptz[]) AS u(id, at)
         WHERE api_keys.id = u.id AND (last_used_at IS NULL OR last_used_at < u.at)`,
        [uses.map(([id]) => id), uses.map(([, at]) => at)]
      )
      .catch((error: Error) =>
        logger.warn({ err: { message: error.message } }, 'API key last use not recorded')
      )
  }
}

function notFound(): never {
  throw new ApiError('not_found', 'No such API key')
}

function sha256(value: string) {
  return createHash('sha256').update(value).digest('hex')
}

export const apiKeys = new ApiKeys()
