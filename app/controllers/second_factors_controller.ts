import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import { mfaSettings } from '#identity/mfa_settings'
import { passkeys } from '#identity/passkeys'
import { step_up_fresh_ms, stepUps } from '#identity/second_factor'
import { clock } from '#platform/clock'
import {
  passkeyRegistrationValidator,
  stepUpValidator,
  totpCodeValidator,
} from '#validators/mfa_validators'
import { isUuid } from '#validators/uuid'

/** The session the request's access token belongs to. */
function sessionOf(ctx: HttpContext) {
  return ctx.auth.use('bearer').claims?.sid
}

/** A person's second factors: the authenticator app, passkeys, recovery codes, step-up. */
export default class SecondFactorsController {
  async show({ auth }: HttpContext) {
    return mfaSettings.status(auth.getUserOrFail())
  }

  async beginTotp(ctx: HttpContext) {
    return ctx.response.created(
      await mfaSettings.beginTotp(ctx.auth.getUserOrFail(), sessionOf(ctx))
    )
  }

  async confirmTotp(ctx: HttpContext) {
    const { code } = await ctx.request.validateUsing(totpCodeValidator)
    return mfaSettings.confirmTotp(ctx.auth.getUserOrFail(), code, sessionOf(ctx))
  }

  async disableTotp({ request, response, auth }: HttpContext) {
    const { code } = await request.validateUsing(totpCodeValidator)
    await mfaSettings.disableTotp(auth.getUserOrFail(), code)
    return response.noContent()
  }

  async recoveryCodes(ctx: HttpContext) {
    return ctx.response.created(
      await mfaSettings.newRecoveryCodes(ctx.auth.getUserOrFail(), sessionOf(ctx))
    )
  }

  async passkeyOptions(ctx: HttpContext) {
    return mfaSettings.passkeyOptions(ctx.auth.getUserOrFail(), sessionOf(ctx))
  }

  async addPasskey(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(passkeyRegistrationValidator)
    return ctx.response.created(
      await mfaSettings.addPasskey(ctx.auth.getUserOrFail(), input as never, sessionOf(ctx))
    )
  }

  async removePasskey(ctx: HttpContext) {
    if (!isUuid(ctx.params.id)) throw new ApiError('not_found', 'No passkey with this id')
    await mfaSettings.removePasskey(ctx.auth.getUserOrFail(), ctx.params.id, sessionOf(ctx))
    return ctx.response.noContent()
  }

  async stepUpOptions({ auth }: HttpContext) {
    return passkeys.challengeFor('step_up', auth.getUserOrFail().id)
  }

  /** A second factor proved now covers large payments and account changes for five minutes. */
  async stepUp(ctx: HttpContext) {
    const proof = await ctx.request.validateUsing(stepUpValidator)
    const sessionId = sessionOf(ctx)
    if (!sessionId) throw new ApiError('unauthorized')
    const method = await stepUps.prove(ctx.auth.getUserOrFail(), sessionId, proof as never)
    return { method, valid_until: new Date(clock.now() + step_up_fresh_ms).toISOString() }
  }
}
