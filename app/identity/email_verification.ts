import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#exceptions/api_error'
import { accountTokens } from '#identity/account_tokens'
import { queueMail } from '#mail/mail_outbox'
import { mailMessages, walletLink } from '#mail/mail_messages'
import User from '#models/user'
import { passwords } from '#identity/passwords'
import { stepUps } from '#identity/second_factor'
import { consumeLimit, isTooMany, secondsUntilAllowed } from '#platform/rate_limits'

const verification_ttl_hours = 48

/** What happens once an address is proved (claimable money waiting for it, say), after commit. */
const verified_listeners: ((user: User) => Promise<void>)[] = []
export function onEmailVerified(listener: (user: User) => Promise<void>) {
  verified_listeners.push(listener)
}
/** Verification mails a person may ask for again per hour. */
const resend_count_max = 3

/**
 * Proof that a person reads the mail of their address: a single-use link,
 * sent at sign-up and on request. Until it is used, sending money is refused
 * where the operator requires it (config/payments.ts).
 */
export const emailVerification = {
  /** Queue the mail in the caller's transaction, so a sign-up never commits without it. */
  async send(trx: TransactionClientContract, user: Pick<User, 'id' | 'email' | 'fullName'>) {
    const token = await accountTokens.issue(
      trx,
      user,
      'verify_email',
      verification_ttl_hours * 3_600_000
    )
    await queueMail(
      mailMessages.verifyEmail(
        user.email,
        user.fullName,
        walletLink('verify-email', token),
        verification_ttl_hours
      ),
      trx
    )
  },

  async resend(signedIn: User) {
    // The guard's row may predate a verification a moment ago.
    const user = await User.findOrFail(signedIn.id)
    if (user.emailVerifiedAt) throw new ApiError('email_already_verified')
    await consumeLimit(
      'verification_mail',
      { requests: resend_count_max, duration: '1 hour' },
      `verify:${user.id}`
    ).catch((error) => {
      if (!isTooMany(error)) throw error
      throw new ApiError('rate_limited', 'Verification mails are limited to 3 an hour', {
        retryAfter: secondsUntilAllowed(error, 3600),
      })
    })
    await db.transaction((trx) => this.send(trx, user))
  },

  /**
   * A sign-up's link confirms the address; an email change's link moves the
   * account to the new, now confirmed, address and tells the old one.
   */
  async verify(token: string) {
    const user = await this.applyToken(token)
    for (const listener of verified_listeners)
      // The address is proved whatever a listener does; a failed one is retried by its own sweep.
      await listener(user).catch((error: Error) =>
        logger.warn({ err: { message: error.message } }, 'after-verification step failed')
      )
    return user
  },

  /** The token spent and the address set, in one transaction. */
  async applyToken(token: string) {
    try {
      return await db.transaction(async (trx) => {
        const { user, purpose, newEmail } = await accountTokens.consume(
          trx,
          ['verify_email', 'change_email'],
          token
        )
        if (purpose === 'change_email' && newEmail) {
          const old = user.email
          user.merge({ email: newEmail, emailVerifiedAt: DateTime.now() })
          await user.save()
          await queueMail(mailMessages.emailChanged(old, newEmail), trx)
          return user
        }
        user.emailVerifiedAt ??= DateTime.now()
        await user.save()
        return user
      })
    } catch (error) {
      // Someone signed up with the new address meanwhile: the unique index decided.
      if ((error as { code?: string }).code === '23505') throw new ApiError('email_taken')
      throw error
    }
  },

  /**
   * A new address takes effect when its link is opened: until then mail and
   * sign-in stay on the current one. Needs the current password, and the
   * second factor of this session for someone who has one.
   */
  async requestChange(signedIn: User, newEmail: string, password: string, sessionId?: string) {
    const user = await passwords.checkCurrent(signedIn, password)
    await stepUps.require(user, sessionId, 'Changing your email address', 'allow')
    if (newEmail === user.email)
      throw new ApiError('validation_failed', undefined, {
        errors: [{ field: 'email', message: 'is already your email address' }],
      })
    if (await User.findBy('email', newEmail)) throw new ApiError('email_taken')
    await db.transaction(async (trx) => {
      const token = await accountTokens.issue(
        trx,
        user,
        'change_email',
        verification_ttl_hours * 3_600_000,
        newEmail
      )
      await queueMail(
        mailMessages.confirmNewEmail(
          newEmail,
          user.fullName,
          walletLink('verify-email', token),
          verification_ttl_hours
        ),
        trx
      )
    })
  },
}
