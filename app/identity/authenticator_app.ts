import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Secret, TOTP } from 'otpauth'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { clock } from '#platform/clock'

const period_s = 30

function totp(secret: string, label: string) {
  return new TOTP({
    issuer: 'Purse',
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: period_s,
  })
}

/**
 * An authenticator app (TOTP, RFC 6238): 6 digits every 30 seconds, the
 * step before and after accepted for clock drift, and each step's code
 * accepted once. The secret is kept encrypted with the app key.
 */
export const authenticatorApp = {
  /** A new secret, shown once; nothing changes until a first code confirms it. */
  async begin(user: User) {
    if (user.totpEnabledAt) throw new ApiError('mfa_already_enabled')
    const secret = new Secret({ size: 20 }).base32
    await User.query()
      .where('id', user.id)
      .update({ totp_pending_secret: encryption.encrypt(secret) })
    return { secret, otpauth_uri: totp(secret, user.email).toString() }
  },

  /** The app holds the secret if it makes the current code: from now on sign-in asks for one. */
  async confirm(trx: TransactionClientContract, user: User, code: string) {
    if (user.totpEnabledAt) throw new ApiError('mfa_already_enabled')
    const pending = user.totpPendingSecret
      ? encryption.decrypt<string>(user.totpPendingSecret)
      : null
    if (!pending) throw new ApiError('mfa_not_enrolling')
    const step = stepOf(pending, code)
    if (step === null) throw new ApiError('invalid_code')
    await trx
      .from('users')
      .where('id', user.id)
      .update({
        totp_secret: user.totpPendingSecret,
        totp_pending_secret: null,
        totp_enabled_at: new Date(clock.now()),
        totp_last_step: step,
      })
  },

  /** Whether `code` is the app's code now; each step's code works once, whatever the race. */
  async check(user: User, code: string): Promise<boolean> {
    const secret = user.totpSecret ? encryption.decrypt<string>(user.totpSecret) : null
    if (!secret || !user.totpEnabledAt) return false
    const step = stepOf(secret, code)
    if (step === null) return false
    const updated = await db
      .from('users')
      .where('id', user.id)
      .where((query) => query.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
      .update({ totp_last_step: step })
    return Number(updated) === 1
  },

  async disable(trx: TransactionClientContract, userId: string) {
    await trx.from('users').where('id', userId).update({
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
    })
  },
}

/** The 30-second step `code` belongs to (now, or one step either side), or null. */
function stepOf(secret: string, code: string): number | null {
  const now = clock.now()
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: period_s,
    timestamp: now,
    window: 1,
  })
  return delta === null ? null : Math.floor(now / 1000 / period_s) + delta
}
