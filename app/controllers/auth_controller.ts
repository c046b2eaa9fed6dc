import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { AuthService } from '#identity/auth_service'
import { tokens } from '#identity/token_service'
import { userToJson } from '#transformers/user_transformer'
import { loginValidator, refreshValidator, registerValidator } from '#validators/auth_validators'
import { WalletService } from '#wallets/wallet_service'

@inject()
export default class AuthController {
  constructor(
    protected auth: AuthService,
    protected wallets: WalletService
  ) {}

  async register({ request, response }: HttpContext) {
    const input = await request.validateUsing(registerValidator)
    const { user, tokens: pair } = await this.auth.register(input)
    await this.wallets.openFirst(user)
    return response.created({ user: userToJson(user), ...pair })
  }

  async login({ request }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const { user, tokens: pair } = await this.auth.login(email, password, request.ip())
    return { user: userToJson(user), ...pair }
  }

  async refresh({ request }: HttpContext) {
    const { refresh_token } = await request.validateUsing(refreshValidator)
    return tokens.refresh(refresh_token)
  }

  async logout({ request, response, auth }: HttpContext) {
    const { refresh_token } = await request.validateUsing(refreshValidator)
    const user = auth.getUserOrFail()
    const claims = auth.use('bearer').claims
    if (!claims) throw new ApiError('unauthorized')
    await this.auth.logout(user, refresh_token, claims)
    return response.noContent()
  }

  /** Read fresh: the guard may hold a row a second or two old. */
  async me({ auth }: HttpContext) {
    return userToJson(await User.findOrFail(auth.getUserOrFail().id))
  }
}
