import type { ApplicationService } from '@adonisjs/core/types'
import { EmbeddedLedger } from '#ledger/embedded_ledger'
import { inFlightRequests } from '#platform/in_flight_requests'
import { RemoteLedger } from '#ledger/remote_ledger'
import type { LedgerGateway } from '#ledger/ledger_gateway'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    ledger: LedgerGateway
  }
}

/**
 * Binds the ledger: over HTTP when LEDGER_URL is set, else ledger-core
 * embedded in this process on the app's database (its own schema).
 */
export default class LedgerProvider {
  #ledger: LedgerGateway | null = null

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('ledger', async () => {
      const env = (await import('#start/env')).default
      const url = env.get('LEDGER_URL')
      if (url) {
        const token = env.get('LEDGER_API_TOKEN')
        if (!token) throw new Error('LEDGER_API_TOKEN must be set with LEDGER_URL')
        this.#ledger = new RemoteLedger(url, token.release())
      } else {
        this.#ledger = await EmbeddedLedger.start(env.get('DATABASE_URL'))
      }
      return this.#ledger
    })
  }

  /**
   * The web server starts its ledger before it takes traffic, so a broken one
   * fails the boot, then follows up payments whose outcome it did not learn.
   */
  async start() {
    if (this.app.getEnvironment() !== 'web') return
    await this.app.container.make('ledger')
    const env = (await import('#start/env')).default
    const { FollowUp } = await import('#history/follow_up')
    new FollowUp(env.get('PAYMENT_FOLLOW_UP_MS', 15_000)).start()
  }

  /**
   * Providers shut down in reverse order, after the HTTP server closed: this
   * is the first that request handlers use (the database and Redis close
   * after it). A handler whose client hung up still runs, so wait for every
   * handler before closing anything: else a payment ledger-core made would
   * lose its history row, with nobody left to ask again.
   */
  async shutdown() {
    await inFlightRequests.drained()
    await this.#ledger?.close()
  }
}
