import type { ApplicationService } from '@adonisjs/core/types'

const sweep_ms = 30_000

/**
 * Claimable money: a verified address claims what waits for it, and every
 * web process sweeps for claims a crash left half done and for holds the
 * ledger expired (each step is idempotent, so several processes may).
 */
export default class ClaimsProvider {
  #timer?: NodeJS.Timeout

  constructor(protected app: ApplicationService) {}

  async boot() {
    const { onEmailVerified } = await import('#identity/email_verification')
    const { Claims } = await import('#claims/claims')
    onEmailVerified(async (user) => (await this.app.container.make(Claims)).claimFor(user))
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { Claims } = await import('#claims/claims')
    const claims = await this.app.container.make(Claims)
    const logger = await this.app.container.make('logger')
    this.#timer = setInterval(() => {
      claims
        .sweep()
        .catch((error: Error) =>
          logger.warn({ err: { message: error.message } }, 'claims sweep failed')
        )
    }, sweep_ms).unref()
  }

  async shutdown() {
    clearInterval(this.#timer)
  }
}
