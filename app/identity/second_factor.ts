import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { authenticatorApp } from '#identity/authenticator_app'
import { authChallenges } from '#identity/auth_challenges'
import { passkeys } from '#identity/passkeys'
import { recoveryCodes } from '#identity/recovery_codes'
import { clock } from '#platform/clock'
import { countAttempt } from '#platform/rate_limits'

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey'

/** One of: a code from the app, a recovery code, or a passkey's answer to a challenge. */
export interface Proof {
  code?: string
  recovery_code?: string
  passkey?: AuthenticationResponseJSON
}

/** Wrong codes allowed per person before a pause: like passwords. */
const attempts_max = 5
const attempts_window = '15 minutes'
/** A second factor proved this recently covers a large payment or an account change. */
export const step_up_fresh_ms = 5 * 60_000

/** The second factors a person has, in the order a sign-in offers them. */
export async function methodsOf(user: User): Promise<SecondFactorMethod[]> {
  const [keys, codes] = await Promise.all([
    passkeys.list(user.id),
    recoveryCodes.remaining(user.id),
  ])
  const methods: SecondFactorMethod[] = []
  if (keys.length > 0) methods.push('passkey')
  if (user.totpEnabledAt) methods.push('totp')
  if (methods.length > 0 && codes > 0) methods.push('recovery_code')
  return methods
}

/**
 * Checks one proof of a second factor of `user`. Every try counts before
 * it is checked, per person (so neither new sign-ins nor other addresses
 * reset it); a success clears the count. `webauthnChallenge` is the
 * challenge a passkey answer must sign.
 */
export async function prove(
  user: User,
  proof: Proof,
  webauthnChallenge: string | null,
  allowRecoveryCode = true
): Promise<SecondFactorMethod> {
  const key = `mfa:${user.id}`
  const attempts = await countAttempt('mfa', key, attempts_max, attempts_window)
  // The signed-in guard's row may be seconds old: a factor just turned on must count.
  const fresh = await User.findOrFail(user.id)
  const method = await check(fresh, proof, webauthnChallenge, allowRecoveryCode)
  await attempts.delete(key).catch(() => {})
  return method
}

async function check(
  user: User,
  proof: Proof,
  webauthnChallenge: string | null,
  allowRecoveryCode: boolean
): Promise<SecondFactorMethod> {
  if (proof.passkey) {
    if (!webauthnChallenge) throw new ApiError('passkey_invalid')
    await passkeys.authenticate(webauthnChallenge, proof.passkey, {
      userId: user.id,
      requireUserVerification: false,
    })
    return 'passkey'
  }
  if (proof.code !== undefined) {
    if (!(await authenticatorApp.check(user, proof.code))) throw new ApiError('invalid_code')
    return 'totp'
  }
  if (proof.recovery_code !== undefined && allowRecoveryCode) {
    if (!(await recoveryCodes.use(user.id, proof.recovery_code))) throw new ApiError('invalid_code')
    return 'recovery_code'
  }
  throw new ApiError('invalid_code', 'Send a code, a recovery code or a passkey answer')
}

/**
 * When each session last proved a second factor. A session is a refresh
 * token family, so the proof lasts through its token refreshes.
 */
export const stepUps = {
  async record(
    userId: string,
    sessionId: string,
    client: TransactionClientContract | typeof db = db
  ) {
    await client
      .table('session_step_ups')
      .insert({ session_id: sessionId, user_id: userId, verified_at: new Date(clock.now()) })
      .onConflict('session_id')
      .merge(['verified_at'])
  },

  async isFresh(sessionId: string | undefined): Promise<boolean> {
    if (!sessionId) return false
    const row = await db
      .from('session_step_ups')
      .where('session_id', sessionId)
      .where('verified_at', '>', new Date(clock.now() - step_up_fresh_ms))
      .first()
    return row !== null && row !== undefined
  },

  /** A person's proof in this session: a code, or a passkey's answer to a step-up challenge. */
  async prove(user: User, sessionId: string, proof: Proof & { challenge_id?: string }) {
    let webauthnChallenge: string | null = null
    if (proof.passkey) {
      const challenge = proof.challenge_id
        ? await authChallenges.find('step_up', { id: proof.challenge_id })
        : null
      if (
        !challenge ||
        challenge.user_id !== user.id ||
        !(await authChallenges.spend(challenge.id))
      )
        throw new ApiError('passkey_invalid')
      webauthnChallenge = challenge.webauthn_challenge
    }
    // Recovery codes are for a lost device at sign-in, not for topping up a session.
    const method = await prove(user, proof, webauthnChallenge, false)
    await this.record(user.id, sessionId)
    return method
  },

  /**
   * Refuses unless this session proved a second factor in the last five
   * minutes. For a large payment, someone without any is told to add one (a
   * password alone does not move large amounts); an account change of
   * someone without any has nothing to prove.
   */
  async require(
    user: User,
    sessionId: string | undefined,
    what: string,
    whenNone: 'refuse' | 'allow' = 'refuse'
  ) {
    if (await this.isFresh(sessionId)) return
    const methods = (await methodsOf(await User.findOrFail(user.id))).filter(
      (method) => method !== 'recovery_code'
    )
    if (methods.length === 0 && whenNone === 'allow') return
    throw new ApiError(
      'step_up_required',
      methods.length > 0
        ? `${what} needs your second factor from the last five minutes`
        : `${what} needs a second factor: turn on an authenticator app or add a passkey first`,
      { extensions: { methods } }
    )
  },
}
