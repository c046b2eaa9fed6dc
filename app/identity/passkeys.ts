import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { v7 as uuidv7 } from 'uuid'
import webauthnConfig from '#config/webauthn'
import { ApiError } from '#exceptions/api_error'
import type User from '#models/user'
import { authChallenges, type ChallengePurpose } from '#identity/auth_challenges'
import { clock } from '#platform/clock'

interface PasskeyRow {
  id: string
  user_id: string
  credential_id: string
  public_key: Buffer
  counter: string | number
  transports: string[]
  name: string
  backed_up: boolean
  created_at: Date
  last_used_at: Date | null
}

export function passkeyToJson(row: PasskeyRow) {
  return {
    id: row.id,
    name: row.name,
    synced: row.backed_up,
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  }
}

/** The library throws on any mismatch (origin, challenge, signature, counter): one answer. */
async function verified<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch {
    throw new ApiError('passkey_invalid')
  }
}

/**
 * Passkeys (WebAuthn): the ceremonies' options, and the checks of what the
 * browser answers. Only the public key is kept. A passkey is both a second
 * factor and, with the person verified on the device, a sign-in by itself.
 */
export const passkeys = {
  list(userId: string, client: TransactionClientContract | typeof db = db): Promise<PasskeyRow[]> {
    return client.from('passkeys').where('user_id', userId).orderBy('created_at')
  },

  async registrationOptions(user: User) {
    const held = await this.list(user.id)
    const options = await generateRegistrationOptions({
      rpName: webauthnConfig.rpName,
      rpID: webauthnConfig.rpId,
      userName: user.email,
      userDisplayName: user.fullName,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: held.map((key) => ({
        id: key.credential_id,
        transports: key.transports,
      })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    })
    const challenge = await authChallenges.open('passkey_register', {
      userId: user.id,
      webauthnChallenge: options.challenge,
    })
    return { challenge_id: challenge.id, options }
  },

  async register(
    trx: TransactionClientContract,
    user: User,
    challengeId: string,
    response: RegistrationResponseJSON,
    name: string
  ) {
    const challenge = await authChallenges.find('passkey_register', { id: challengeId })
    // Spent before the check: an answer is tried once, whatever it holds.
    if (!challenge || challenge.user_id !== user.id || !(await authChallenges.spend(challenge.id)))
      throw new ApiError('passkey_invalid')
    const result = await verified(() =>
      verifyRegistrationResponse({
        response,
        expectedChallenge: challenge.webauthn_challenge!,
        expectedOrigin: webauthnConfig.origins,
        expectedRPID: webauthnConfig.rpId,
        requireUserVerification: false,
      })
    )
    if (!result.verified) throw new ApiError('passkey_invalid')
    const { credential, credentialBackedUp } = result.registrationInfo
    const row = {
      id: uuidv7(),
      user_id: user.id,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name,
      backed_up: credentialBackedUp,
      created_at: new Date(clock.now()),
      last_used_at: null,
    }
    try {
      await trx.table('passkeys').insert(row)
    } catch (error) {
      // The same authenticator twice: excludeCredentials asks browsers not to, a replay might.
      if ((error as { code?: string }).code === '23505') throw new ApiError('passkey_invalid')
      throw error
    }
    return row
  },

  /**
   * Options to sign with a passkey: a person's own (second factor, step-up)
   * or any this site holds (passwordless: the browser offers its passkeys).
   */
  async authenticationOptions(userId: string | null) {
    const allowed = userId ? await this.list(userId) : []
    return generateAuthenticationOptions({
      rpID: webauthnConfig.rpId,
      allowCredentials: allowed.map((key) => ({
        id: key.credential_id,
        transports: key.transports,
      })),
      userVerification: userId ? 'preferred' : 'required',
    })
  },

  async challengeFor(purpose: ChallengePurpose, userId: string | null) {
    const options = await this.authenticationOptions(userId)
    const challenge = await authChallenges.open(purpose, {
      userId: userId ?? undefined,
      webauthnChallenge: options.challenge,
    })
    return { challenge_id: challenge.id, options }
  },

  /**
   * Checks a signature against the challenge it answers and the passkey's
   * stored public key; returns whose passkey it was. A passwordless sign-in
   * needs the person verified on the device (PIN or biometrics), since the
   * passkey is then both factors.
   */
  async authenticate(
    expectedChallenge: string,
    response: AuthenticationResponseJSON,
    options: { userId?: string; requireUserVerification: boolean }
  ): Promise<string> {
    const key = (await db
      .from('passkeys')
      .where('credential_id', String(response?.id ?? ''))
      .first()) as PasskeyRow | null
    if (!key || (options.userId && key.user_id !== options.userId))
      throw new ApiError('passkey_invalid')
    const result = await verified(() =>
      verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: webauthnConfig.origins,
        expectedRPID: webauthnConfig.rpId,
        credential: {
          id: key.credential_id,
          publicKey: new Uint8Array(key.public_key),
          counter: Number(key.counter),
          transports: key.transports as never,
        },
        requireUserVerification: options.requireUserVerification,
      })
    )
    if (!result.verified) throw new ApiError('passkey_invalid')
    await db
      .from('passkeys')
      .where('id', key.id)
      .update({
        counter: result.authenticationInfo.newCounter,
        last_used_at: new Date(clock.now()),
      })
    return key.user_id
  },

  async remove(trx: TransactionClientContract, userId: string, id: string) {
    const removed = await trx.from('passkeys').where({ id, user_id: userId }).delete()
    if (Number(removed) === 0) throw new ApiError('not_found', 'No passkey with this id')
  },
}
