import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import { emailVerification } from '#identity/email_verification'
import { passwords } from '#identity/passwords'
import { sessions } from '#identity/sessions'
import { userToJson } from '#transformers/user_transformer'
import {
  changePasswordValidator,
  emailTokenValidator,
  forgotPasswordValidator,
  resetPasswordValidator,
} from '#validators/account_security_validators'
import { changeEmailValidator } from '#validators/mfa_validators'
import { isUuid } from '#validators/uuid'

/** A person's own account security: email verification, passwords, sessions. */
export default class AccountSecurityController {
  async verifyEmail({ request }: HttpContext) {
    const { token } = await request.validateUsing(emailTokenValidator)
    return userToJson(await emailVerification.verify(token))
  }

  async resendVerification({ auth, response }: HttpContext) {
    await emailVerification.resend(auth.getUserOrFail())
    return response.accepted({ sent: true })
  }

  /** The same answer for every address, known or not. */
  async forgotPassword({ request, response }: HttpContext) {
    const { email } = await request.validateUsing(forgotPasswordValidator)
    passwords.forgot(email)
    return response.accepted({ sent: true })
  }

  async resetPassword({ request, response }: HttpContext) {
    const { token, password } = await request.validateUsing(resetPasswordValidator)
    await passwords.reset(token, password)
    return response.noContent()
  }

  async changePassword({ request, response, auth }: HttpContext) {
    const input = await request.validateUsing(changePasswordValidator)
    const claims = auth.use('bearer').claims
    await passwords.change(
      auth.getUserOrFail(),
      input.current_password,
      input.password,
      claims?.sid
    )
    return response.noContent()
  }

  /** The new address takes effect once its mailed link is opened. */
  async changeEmail({ request, response, auth }: HttpContext) {
    const input = await request.validateUsing(changeEmailValidator)
    await emailVerification.requestChange(
      auth.getUserOrFail(),
      input.email,
      input.current_password,
      auth.use('bearer').claims?.sid
    )
    return response.accepted({ sent: true })
  }

  async sessions({ auth }: HttpContext) {
    const claims = auth.use('bearer').claims
    return { data: await sessions.list(auth.getUserOrFail().id, claims?.sid) }
  }

  async endSession({ auth, params, response }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No live session with this id')
    await sessions.end(auth.getUserOrFail().id, params.id)
    return response.noContent()
  }

  async endOtherSessions({ auth }: HttpContext) {
    const claims = auth.use('bearer').claims
    const ended = await sessions.endAll(auth.getUserOrFail().id, claims?.sid)
    return { ended: ended.length }
  }
}
