import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { WalletService } from '#services/wallet_service'
import { openWalletValidator } from '#validators/money_validators'

@inject()
export default class WalletsController {
  constructor(protected wallets: WalletService) {}

  async index({ auth }: HttpContext) {
    return { data: await this.wallets.list(auth.getUserOrFail().ownerRef) }
  }

  async showUsd({ auth }: HttpContext) {
    return this.wallets.get(auth.getUserOrFail().ownerRef, 'USD')
  }

  async store({ request, auth, response }: HttpContext) {
    const { currency } = await request.validateUsing(openWalletValidator)
    const user = auth.getUserOrFail()
    await this.wallets.openUnlessFrozen(user, currency)
    return response.status(200).send(await this.wallets.get(user.ownerRef, currency))
  }
}
