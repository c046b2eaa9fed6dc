import hash from '@adonisjs/core/services/hash'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { ApiError } from '#exceptions/api_error'
import { accountTokens } from '#identity/account_tokens'
import { commonPasswords } from '#identity/common_passwords'
import { sessions } from '#identity/sessions'
import { queueMail } from '#mail/mail_outbox'
import { mailMessages, walletLink } from '#mail/mail_messages'
import User from '#models/user'
import { consumeLimit, countAttempt, isTooMany } from '#platform/rate_limits'

const reset_ttl_minutes = 30
/** Reset mails per address per hour, and guesses at the current password per person. */
const reset_mail_count_max = 3
const current_password_attempts_max = 5

/**
 * A password as it is hashed and checked: Unicode NFKC (NIST SP 800-63B
 * §5.1.1.2), so the same password typed on keyboards that compose accents
 * differently (é as one code point, or e + U+0301) is the same password.
 */
export function passwordForm(password: string): string {
  return password.normalize('NFKC')
}

/** A new password must not be one attackers try first (NIST SP 800-63B §5.1.1.2). */
export function refuseCommonPassword(password: string, field = 'password') {
  if (commonPasswords.has(passwordForm(password).toLowerCase())) {
    throw new ApiError('validation_failed', undefined, {
      errors: [{ field, message: 'is one of the most common passwords; choose another' }],
    })
  }
}

export const passwords = {
  hash: (password: string) => hash.make(passwordForm(password)),

  /**
   * Answers nothing about the address: the work (look-up, token, mail) runs
   * after the answer has gone, so known and unknown addresses answer alike,
   * in the same time. A lost reset mail is asked for again.
   */
  forgot(email: string) {
    void (async () => {
      await consumeLimit(
        'reset_mail',
        { requests: reset_mail_count_max, duration: '1 hour' },
        `reset:${email}`
      )
      await db.transaction(async (trx) => {
        const user = await User.query({ client: trx }).where('email', email).first()
        if (!user) return
        const token = await accountTokens.issue(
          trx,
          user,
          'password_reset',
          reset_ttl_minutes * 60_000
        )
        await queueMail(
          mailMessages.passwordReset(
            user.email,
            walletLink('reset-password', token),
            reset_ttl_minutes
          ),
          trx
        )
      })
    })().catch((error) => {
      if (isTooMany(error)) return
      logger.error({ err: { message: (error as Error).message } }, 'password reset not sent')
    })
  },

  /** Sets the password and ends every session of the person: whoever had it is out. */
  async reset(token: string, password: string) {
    refuseCommonPassword(password)
    const digest = await passwords.hash(password)
    const user = await db.transaction(async (trx) => {
      const { user: found } = await accountTokens.consume(trx, ['password_reset'], token)
      found.merge({ password: digest, passwordNormalized: true })
      // The link reached the address: it is the person's.
      found.emailVerifiedAt ??= DateTime.now()
      await found.save()
      await queueMail(mailMessages.passwordChanged(found.email), trx)
      await sessions.endAll(found.id, undefined, trx)
      return found
    })
    return user
  },

  /** Needs the current password (guesses limited like logins); ends the person's other sessions. */
  async change(user: User, current: string, next: string, currentSession?: string) {
    const fresh = await this.checkCurrent(user, current)
    refuseCommonPassword(next)
    const digest = await passwords.hash(next)
    await db.transaction(async (trx) => {
      fresh.merge({ password: digest, passwordNormalized: true })
      await fresh.useTransaction(trx).save()
      await queueMail(mailMessages.passwordChanged(fresh.email), trx)
      await sessions.endAll(fresh.id, currentSession, trx)
    })
  },

  /**
   * The signed-in person's current password, asked again before a change
   * to the account; wrong guesses are limited per person. Returns their row.
   */
  async checkCurrent(user: User, current: string) {
    const key = `current-password:${user.id}`
    const attempts = await countAttempt(
      'current_password',
      key,
      current_password_attempts_max,
      '15 minutes'
    )
    const fresh = await User.findOrFail(user.id)
    const valid = await hash.verify(
      fresh.password,
      fresh.passwordNormalized ? passwordForm(current) : current
    )
    if (!valid) {
      throw new ApiError('validation_failed', undefined, {
        errors: [{ field: 'current_password', message: 'is not your current password' }],
      })
    }
    await attempts.delete(key).catch(() => {})
    return fresh
  },
}
