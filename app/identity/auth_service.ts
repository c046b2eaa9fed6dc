/**
 * The identity module: people's accounts, passwords, sessions (access and
 * refresh tokens), their revocation on every replica, and login throttling.
 * It needs nothing from the app's other modules.
 */
import { randomUUID } from 'node:crypto'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { authChallenges } from '#identity/auth_challenges'
import { emailVerification } from '#identity/email_verification'
import { passkeys } from '#identity/passkeys'
import { methodsOf, prove, stepUps, type Proof } from '#identity/second_factor'
import { passwordForm, passwords, refuseCommonPassword } from '#identity/passwords'
import { revocations } from '#identity/revocation_service'
import { sessions, type Device } from '#identity/sessions'
import { tokens, type AccessClaims } from '#identity/token_service'
import { countAttempt } from '#platform/rate_limits'

/** Failed logins allowed per (email, IP) before a pause. */
const login_attempts_max = 5
const login_window = '15 minutes'

export class AuthService {
  /** The account, its verification mail and its first session: all or nothing. */
  async register(
    input: { email: string; password: string; full_name: string; phone?: string },
    device: Device
  ) {
    refuseCommonPassword(input.password)
    if (await User.findBy('email', input.email)) throw new ApiError('email_taken')
    const digest = await passwords.hash(input.password)
    try {
      return await db.transaction(async (trx) => {
        const user = await User.create(
          {
            email: input.email,
            password: digest,
            passwordNormalized: true,
            fullName: input.full_name,
            phone: input.phone ?? null,
            role: 'user',
            status: 'active',
            emailVerifiedAt: null,
          },
          { client: trx }
        )
        await emailVerification.send(trx, user)
        return { user, tokens: await tokens.issue(user, device, undefined, trx) }
      })
    } catch (error) {
      // Two sign-ups raced for one email: the unique index decided.
      if ((error as { code?: string }).code === '23505') throw new ApiError('email_taken')
      throw error
    }
  }

  /**
   * The attempt is counted before the password is checked, atomically, so
   * parallel guesses cannot slip past the limit; a success clears the count.
   * While Redis is down attempts are counted per process, never not at all.
   */
  async login(email: string, password: string, ip: string, device: Device) {
    const key = `login:${email}:${ip}`
    const attempts = await countAttempt('login', key, login_attempts_max, login_window)
    const user = await User.findBy('email', email)
    // One hash operation whatever the email, so both failures take the same time.
    const valid = user
      ? await hash.verify(
          user.password,
          user.passwordNormalized ? passwordForm(password) : password
        )
      : (await hash.make(password), false)
    if (!user || !valid) throw new ApiError('invalid_credentials')
    if (!user.passwordNormalized) {
      // Hashed as typed, before passwords were normalised: from now on, as every other.
      user.merge({ password: await hash.make(passwordForm(password)), passwordNormalized: true })
      await user.save()
    }
    await attempts.delete(key).catch(() => {})
    const methods = await methodsOf(user)
    if (methods.length > 0) {
      // The password was right; the session waits for the second step.
      const challenge = await authChallenges.open('mfa_login', { userId: user.id, device })
      throw new ApiError('mfa_required', undefined, {
        extensions: {
          mfa_token: challenge.secret,
          methods,
          expires_at: challenge.expires_at.toISOString(),
        },
      })
    }
    return { user, tokens: await this.#startSession(user, device, false) }
  }

  /** A sign-in's second step: a code, a recovery code or a passkey, then the session. */
  async completeMfa(mfaToken: string, proof: Proof, device: Device) {
    const challenge = await authChallenges.find('mfa_login', { secret: mfaToken })
    const user = challenge?.user_id ? await User.find(challenge.user_id) : null
    if (!challenge || !user) throw new ApiError('mfa_challenge_expired')
    await prove(user, proof, challenge.webauthn_challenge)
    // A right answer twice (two tabs): one session, the other sign-in starts over.
    if (!(await authChallenges.spend(challenge.id))) throw new ApiError('mfa_challenge_expired')
    return { user, tokens: await this.#startSession(user, device, true) }
  }

  /** The options for answering a sign-in's second step with a passkey. */
  async mfaPasskeyOptions(mfaToken: string) {
    const challenge = await authChallenges.find('mfa_login', { secret: mfaToken })
    if (!challenge?.user_id) throw new ApiError('mfa_challenge_expired')
    const options = await passkeys.authenticationOptions(challenge.user_id)
    await authChallenges.attachWebauthn(challenge.id, options.challenge)
    return options
  }

  /** Passwordless: a passkey verified on its device is both factors. */
  async passkeyLogin(challengeId: string, response: AuthenticationResponseJSON, device: Device) {
    const challenge = await authChallenges.find('passkey_login', { id: challengeId })
    if (!challenge || !(await authChallenges.spend(challenge.id)))
      throw new ApiError('passkey_invalid')
    const userId = await passkeys.authenticate(challenge.webauthn_challenge!, response, {
      requireUserVerification: true,
    })
    const user = await User.findOrFail(userId)
    return { user, tokens: await this.#startSession(user, device, true) }
  }

  /** A new session; one opened with a second factor starts stepped up. */
  async #startSession(user: User, device: Device, secondFactor: boolean) {
    const familyId = randomUUID()
    const pair = await tokens.issue(user, device, familyId)
    if (secondFactor) await stepUps.record(user.id, familyId)
    await sessions.noticeNewDevice(user, device, familyId)
    return pair
  }

  /**
   * Ends the session the refresh token belongs to and the session of the
   * access token used: their refresh tokens, the access token used, and
   * every other access token of those sessions (another tab's, or one a
   * racing refresh issued).
   */
  async logout(user: User, refreshToken: string, used: AccessClaims) {
    const ended = await tokens.endSessions(refreshToken, user.id, used.sid)
    await revocations.revoke(used.jti, new Date(used.exp * 1000))
    for (const session of ended) await revocations.revokeSession(session)
  }
}
