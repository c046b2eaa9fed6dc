import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { v7 as uuidv7 } from 'uuid'
import { clock } from '#platform/clock'
import type { Device } from '#identity/sessions'
import { sha256 } from '#identity/token_service'

/**
 * What a challenge is for: the second step of a password sign-in (held by
 * the client as a bearer secret), a passkey's registration, a passwordless
 * sign-in, or a step-up. Each lives five minutes and is used once.
 */
export type ChallengePurpose = 'mfa_login' | 'passkey_register' | 'passkey_login' | 'step_up'

export const challenge_ttl_ms = 5 * 60_000

export interface Challenge {
  id: string
  user_id: string | null
  webauthn_challenge: string | null
  user_agent: string | null
  ip_prefix: string | null
  expires_at: Date
}

export const authChallenges = {
  async open(
    purpose: ChallengePurpose,
    fields: { userId?: string; webauthnChallenge?: string; device?: Device }
  ) {
    const secret = purpose === 'mfa_login' ? randomBytes(32).toString('base64url') : undefined
    const now = clock.now()
    const row = {
      id: uuidv7(),
      user_id: fields.userId ?? null,
      purpose,
      secret_hash: secret ? sha256(secret) : null,
      webauthn_challenge: fields.webauthnChallenge ?? null,
      user_agent: fields.device?.userAgent ?? null,
      ip_prefix: fields.device?.ipPrefix ?? null,
      expires_at: new Date(now + challenge_ttl_ms),
      created_at: new Date(now),
    }
    await db.table('auth_challenges').insert(row)
    // Expired ones are of no use to anyone: cleared as new ones come.
    await db
      .from('auth_challenges')
      .where('expires_at', '<', new Date(now - 3_600_000))
      .delete()
    return { id: row.id, secret, expires_at: row.expires_at }
  },

  /** A live challenge, not yet used: by its id, or by the secret its client holds. */
  async find(purpose: ChallengePurpose, by: { id: string } | { secret: string }) {
    const query = db
      .from('auth_challenges')
      .where('purpose', purpose)
      .whereNull('used_at')
      .where('expires_at', '>', new Date(clock.now()))
    if ('id' in by) query.where('id', by.id)
    else query.where('secret_hash', sha256(by.secret))
    return (await query.first()) as Challenge | null
  },

  /** A sign-in's second step may ask for a passkey: its WebAuthn challenge joins the row. */
  async attachWebauthn(id: string, webauthnChallenge: string) {
    await db
      .from('auth_challenges')
      .where('id', id)
      .update({ webauthn_challenge: webauthnChallenge })
  },

  /** Marks it used; of two racing uses exactly one gets true. */
  async spend(id: string): Promise<boolean> {
    const updated = await db
      .from('auth_challenges')
      .where('id', id)
      .whereNull('used_at')
      .update({ used_at: new Date(clock.now()) })
    return Number(updated) === 1
  },
}
