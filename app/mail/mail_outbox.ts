/**
 * The mail module: mail is written to an outbox table in the transaction of
 * what it tells of, and a worker in every web process sends it over SMTP
 * (@adonisjs/mail), retrying with back-off. Nothing is lost on a restart;
 * a mail may go twice only if a process dies between the SMTP server's
 * acceptance and the row's update. Bodies hold single-use links: they are
 * cleared once sent, and never logged.
 */
import logger from '@adonisjs/core/services/logger'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import type { RenderedMail } from '#mail/mail_messages'

/** How often the worker looks for mail that came due, besides being woken at each enqueue. */
const poll_ms = 1_000
/** Mails sent per pass at most; the rest wait for the next. */
const batch_count_max = 20
/** After this many failures a mail stops being retried and is reported. */
const attempt_count_max = 12

export async function queueMail(message: RenderedMail, client?: TransactionClientContract) {
  const now = new Date()
  await (client ?? db).table('mail_outbox').insert({
    id: uuidv7(),
    kind: message.kind,
    to_address: message.to,
    subject: message.subject,
    text_body: message.text,
    html_body: message.html,
    next_attempt_at: now,
    created_at: now,
  })
  mailWorker.wake()
}

/** Back-off after the nth failure: 2 s, 4 s, … capped at 15 minutes, with jitter. */
function retryDelayMs(attempts: number) {
  const base = Math.min(2 ** attempts * 1_000, 15 * 60_000)
  return base / 2 + Math.random() * (base / 2)
}

export class MailWorker {
  #timer?: NodeJS.Timeout
  #running?: Promise<void>
  #again = false

  start() {
    this.#timer ??= setInterval(() => this.wake(), poll_ms).unref()
    return this
  }

  /** Send what is due now; a call while a pass runs makes one more pass after it. */
  wake() {
    if (!this.#timer) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = this.#pass()
      .catch((error: Error) => logger.warn({ err: { message: error.message } }, 'mail pass failed'))
      .finally(() => {
        this.#running = undefined
        if (this.#again) {
          this.#again = false
          this.wake()
        }
      })
  }

  async stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running
  }

  /**
   * Each mail is claimed in its own transaction with SKIP LOCKED, so several
   * processes share the outbox and none sends a mail another is sending.
   */
  async #pass() {
    for (let sent = 0; sent < batch_count_max; sent++) {
      const done = await db.transaction(async (trx) => {
        const row = await trx
          .from('mail_outbox')
          .whereNull('sent_at')
          .where('next_attempt_at', '<=', new Date())
          .where('attempts', '<', attempt_count_max)
          .orderBy('next_attempt_at')
          .forUpdate()
          .skipLocked()
          .first()
        if (!row) return false
        try {
          await mail.send((message) => {
            message.to(row.to_address).subject(row.subject).text(row.text_body).html(row.html_body)
          })
          await trx
            .from('mail_outbox')
            .where('id', row.id)
            .update({ sent_at: new Date(), text_body: null, html_body: null, last_error: null })
        } catch (error) {
          const attempts = row.attempts + 1
          // The SMTP server's answer names no secret; the message is not logged.
          const reason = String((error as Error).message).slice(0, 500)
          await trx
            .from('mail_outbox')
            .where('id', row.id)
            .update({
              attempts,
              last_error: reason,
              next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)),
            })
          logger.warn({ mail_id: row.id, kind: row.kind, attempts, reason }, 'mail not sent')
        }
        return true
      })
      if (!done) return
    }
    this.#again = true
  }
}

export const mailWorker = new MailWorker()
