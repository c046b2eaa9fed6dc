import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Every web process sends the mail outbox; they share it row by row. The
 * test process starts its own once its migrations ran (tests/bootstrap.ts).
 * Stopped before the database closes.
 */
export default class MailProvider {
  constructor(protected app: ApplicationService) {}

  /** Before the server listens: without SMTP_URL, mailed links would never arrive. */
  async start() {
    if (this.app.getEnvironment() !== 'web' || !this.app.inProduction) return
    const { default: env } = await import('#start/env')
    if (!env.get('SMTP_URL'))
      throw new Error(
        'SMTP_URL is required in production: verification links, password resets and security notices are mailed'
      )
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { mailWorker } = await import('#mail/mail_outbox')
    mailWorker.start()
  }

  async shutdown() {
    const { mailWorker } = await import('#mail/mail_outbox')
    await mailWorker.stop()
  }
}
