import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RegistrationResponseJSON } from '@simplewebauthn/server'
import { ApiError } from '#exceptions/api_error'
import { queueMail } from '#mail/mail_outbox'
import { mailMessages } from '#mail/mail_messages'
import User from '#models/user'
import { authenticatorApp } from '#identity/authenticator_app'
import { passkeys, passkeyToJson } from '#identity/passkeys'
import { recoveryCodes } from '#identity/recovery_codes'
import { methodsOf, prove, stepUps } from '#identity/second_factor'

/** Locked, so two changes to one person's factors take turns. */
function locked(trx: TransactionClientContract, userId: string) {
  return User.query({ client: trx }).where('id', userId).forUpdate().firstOrFail()
}

/**
 * A person's second factors as they manage them. Adding one while another
 * is on, or removing one, needs that other factor proved in this session
 * (step-up): a stolen password alone cannot add the thief's own factor.
 * Each change is mailed to the person.
 */
export const mfaSettings = {
  async status(signedIn: User) {
    const user = await User.findOrFail(signedIn.id)
    const [keys, codesLeft, methods] = await Promise.all([
      passkeys.list(user.id),
      recoveryCodes.remaining(user.id),
      methodsOf(user),
    ])
    return {
      enabled: methods.length > 0,
      totp_enabled: user.totpEnabledAt !== null,
      passkeys: keys.map(passkeyToJson),
      recovery_codes_left: codesLeft,
    }
  },

  async beginTotp(signedIn: User, sessionId?: string) {
    await stepUps.require(signedIn, sessionId, 'Turning on an authenticator app', 'allow')
    return authenticatorApp.begin(await User.findOrFail(signedIn.id))
  },

  /** A right first code turns it on; a first second factor brings recovery codes. */
  async confirmTotp(signedIn: User, code: string, sessionId?: string) {
    const codes = await db.transaction(async (trx) => {
      const user = await locked(trx, signedIn.id)
      await authenticatorApp.confirm(trx, user, code)
      const issued = await recoveryCodes.issueUnlessHeld(trx, user.id)
      await queueMail(
        mailMessages.securityChange(user.email, 'an authenticator app was turned on'),
        trx
      )
      return issued
    })
    // The code just typed is a second factor proved in this session.
    if (sessionId) await stepUps.record(signedIn.id, sessionId)
    return { recovery_codes: codes }
  },

  /** Needs a code from the app itself, as the person's proof that they hold it. */
  async disableTotp(signedIn: User, code: string) {
    const user = await User.findOrFail(signedIn.id)
    if (!user.totpEnabledAt) throw new ApiError('mfa_not_enabled')
    await prove(user, { code }, null, false)
    await db.transaction(async (trx) => {
      const current = await locked(trx, user.id)
      await authenticatorApp.disable(trx, current.id)
      if ((await passkeys.list(current.id, trx)).length === 0)
        await recoveryCodes.clear(trx, current.id)
      await queueMail(
        mailMessages.securityChange(current.email, 'the authenticator app was turned off'),
        trx
      )
    })
  },

  async newRecoveryCodes(signedIn: User, sessionId?: string) {
    const user = await User.findOrFail(signedIn.id)
    if ((await methodsOf(user)).length === 0) throw new ApiError('mfa_not_enabled')
    await stepUps.require(user, sessionId, 'New recovery codes')
    const codes = await db.transaction(async (trx) => {
      await locked(trx, user.id)
      const replaced = await recoveryCodes.replace(trx, user.id)
      await queueMail(mailMessages.securityChange(user.email, 'new recovery codes were made'), trx)
      return replaced
    })
    return { recovery_codes: codes }
  },

  async passkeyOptions(signedIn: User, sessionId?: string) {
    await stepUps.require(signedIn, sessionId, 'Adding a passkey', 'allow')
    return passkeys.registrationOptions(await User.findOrFail(signedIn.id))
  },

  async addPasskey(
    signedIn: User,
    input: { challenge_id: string; response: RegistrationResponseJSON; name?: string },
    sessionId?: string
  ) {
    await stepUps.require(signedIn, sessionId, 'Adding a passkey', 'allow')
    return db.transaction(async (trx) => {
      const user = await locked(trx, signedIn.id)
      const row = await passkeys.register(
        trx,
        user,
        input.challenge_id,
        input.response,
        input.name ?? 'Passkey'
      )
      const codes = await recoveryCodes.issueUnlessHeld(trx, user.id)
      await queueMail(
        mailMessages.securityChange(user.email, `a passkey (${row.name}) was added`),
        trx
      )
      return { passkey: passkeyToJson(row), recovery_codes: codes }
    })
  },

  async removePasskey(signedIn: User, id: string, sessionId?: string) {
    await stepUps.require(signedIn, sessionId, 'Removing a passkey', 'allow')
    await db.transaction(async (trx) => {
      const user = await locked(trx, signedIn.id)
      await passkeys.remove(trx, user.id, id)
      const left = await passkeys.list(user.id, trx)
      if (left.length === 0 && !user.totpEnabledAt) await recoveryCodes.clear(trx, user.id)
      await queueMail(mailMessages.securityChange(user.email, 'a passkey was removed'), trx)
    })
  },
}
