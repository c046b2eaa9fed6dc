import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { WebhookDispatcher } from '#webhooks/webhook_dispatcher'

/** `node ace webhooks:work`: deliver webhooks until SIGTERM; run as many as you like. */
export default class WebhooksWork extends BaseCommand {
  static commandName = 'webhooks:work'
  static description = 'Deliver queued webhooks (several may run at once); stops cleanly on SIGTERM'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    const dispatcher = new WebhookDispatcher().start()
    // Deliveries in flight finish before the pools close; none is claimed after.
    this.app.terminating(() => dispatcher.stop())
    this.logger.info('delivering webhooks')
  }
}
