import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { AuthService } from '#identity/auth_service'
import {
  clearRefreshCookie,
  refreshFromCookie,
  requireOwnOrigin,
  setRefreshCookie,
  wantsCookie,
} from '#identity/session_cookie'
import { passkeys } from '#identity/passkeys'
import { deviceOf as sessionDevice } from '#identity/sessions'
import { tokens, type TokenPair } from '#identity/token_service'
import { userToJson } from '#transformers/user_transformer'
import { loginValidator, refreshValidator, registerValidator } from '#validators/auth_validators'
import {
  mfaLoginValidator,
  mfaTokenValidator,
  passkeyLoginValidator,
} from '#validators/mfa_validators'
import { WalletService } from '#wallets/wallet_service'

@inject()
export default class AuthController {
  constructor(
    protected auth: AuthService,
    protected wallets: WalletService
  ) {}

  async register(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(registerValidator)
    const { user, tokens: pair } = await this.auth.register(input, deviceOf(ctx))
    await this.wallets.openFirst(user)
    return ctx.response.created({ user: userToJson(user), ...deliver(ctx, pair) })
  }

  async login(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    const { user, tokens: pair } = await this.auth.login(
      email,
      password,
      ctx.request.ip(),
      deviceOf(ctx)
    )
    return { user: userToJson(user), ...deliver(ctx, pair) }
  }

  /** A sign-in's second step, after `mfa_required`. */
  async completeMfa(ctx: HttpContext) {
    const { mfa_token: token, ...proof } = await ctx.request.validateUsing(mfaLoginValidator)
    const { user, tokens: pair } = await this.auth.completeMfa(token, proof as never, deviceOf(ctx))
    return { user: userToJson(user), ...deliver(ctx, pair) }
  }

  async mfaPasskeyOptions(ctx: HttpContext) {
    const { mfa_token: token } = await ctx.request.validateUsing(mfaTokenValidator)
    return { options: await this.auth.mfaPasskeyOptions(token) }
  }

  /** Passwordless sign-in, step 1: the browser offers the passkeys it holds for this site. */
  async passkeyLoginOptions() {
    return passkeys.challengeFor('passkey_login', null)
  }

  async passkeyLogin(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(passkeyLoginValidator)
    const { user, tokens: pair } = await this.auth.passkeyLogin(
      input.challenge_id,
      input.response as never,
      deviceOf(ctx)
    )
    return { user: userToJson(user), ...deliver(ctx, pair) }
  }

  async refresh(ctx: HttpContext) {
    return deliver(ctx, await tokens.refresh(await presentedRefreshToken(ctx), deviceOf(ctx)))
  }

  async logout(ctx: HttpContext) {
    const presented = await presentedRefreshToken(ctx)
    const user = ctx.auth.getUserOrFail()
    const claims = ctx.auth.use('bearer').claims
    if (!claims) throw new ApiError('unauthorized')
    await this.auth.logout(user, presented, claims)
    if (wantsCookie(ctx.request)) clearRefreshCookie(ctx)
    return ctx.response.noContent()
  }

  /** Read fresh: the guard may hold a row a second or two old. */
  async me({ auth }: HttpContext) {
    return userToJson(await User.findOrFail(auth.getUserOrFail().id))
  }
}

function deviceOf(ctx: HttpContext) {
  return sessionDevice(ctx.request.header('user-agent'), ctx.request.ip())
}

/** A new pair as the client asked for it: all in the body, or the refresh token in the cookie. */
function deliver(ctx: HttpContext, pair: TokenPair) {
  if (!wantsCookie(ctx.request)) return pair
  setRefreshCookie(ctx, pair.refresh_token)
  return { ...pair, refresh_token: null }
}

/** The refresh token from the body, or, for a browser's cookie session, from the cookie. */
async function presentedRefreshToken(ctx: HttpContext): Promise<string> {
  if (!wantsCookie(ctx.request))
    return (await ctx.request.validateUsing(refreshValidator)).refresh_token
  requireOwnOrigin(ctx.request)
  return refreshFromCookie(ctx.request)
}
