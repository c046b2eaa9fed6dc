import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { walletToJson } from '#transformers/wallet_transformer'
import { openWalletValidator } from '#validators/money_validators'
import { WalletService } from '#wallets/wallet_service'

@inject()
export default class WalletsController {
  constructor(protected wallets: WalletService) {}

  async index({ auth }: HttpContext) {
    return { data: (await this.wallets.list(auth.getUserOrFail().ownerRef)).map(walletToJson) }
  }

  /** Deprecated: the USD wallet, from before people held several currencies. */
  async showUsd({ auth, response }: HttpContext) {
    response.header('Deprecation', deprecated_since)
    response.header('Sunset', sunset)
    response.header('Link', '</api/v1/wallets>; rel="successor-version"')
    return walletToJson(await this.wallets.get(auth.getUserOrFail().ownerRef, 'USD'))
  }

  async store({ request, auth }: HttpContext) {
    const { currency } = await request.validateUsing(openWalletValidator)
    const user = auth.getUserOrFail()
    await this.wallets.openUnlessFrozen(user, currency)
    return walletToJson(await this.wallets.get(user.ownerRef, currency))
  }
}

/** RFC 9745: deprecated since this instant (as a structured-field date). */
const deprecated_since = `@${Date.UTC(2026, 11, 1) / 1000}`
/** RFC 8594: the date after which GET /api/v1/wallet may go. */
const sunset = new Date(Date.UTC(2027, 5, 30)).toUTCString()
