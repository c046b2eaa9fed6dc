import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Every web process (and the test process, which serves the API) sends the
 * mail outbox; they share it row by row. Stopped before the database closes.
 */
export default class MailProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    if (!['web', 'test'].includes(this.app.getEnvironment())) return
    const { mailWorker } = await import('#mail/mail_outbox')
    mailWorker.start()
  }

  async shutdown() {
    const { mailWorker } = await import('#mail/mail_outbox')
    await mailWorker.stop()
  }
}
