import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { sessions } from '#identity/sessions'
import { StaffActions } from '#staff/staff_actions'
import { StaffQueries } from '#staff/staff_queries'
import { reasonValidator } from '#validators/admin_validators'

/** Staff's view of a person's account security: sessions and email verification. Never a secret. */
@inject()
export default class AdminSecurityController {
  constructor(
    protected queries: StaffQueries,
    protected actions: StaffActions
  ) {}

  async sessions({ params }: HttpContext) {
    const user = await this.queries.findUser(params.id)
    return { data: await sessions.list(user.id) }
  }

  async endSessions({ params, request, auth }: HttpContext) {
    const { reason } = await request.validateUsing(reasonValidator)
    return this.actions.endSessions(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      reason
    )
  }

  async resendVerification({ params, request, auth, response }: HttpContext) {
    const { reason } = await request.validateUsing(reasonValidator)
    await this.actions.resendVerification(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      reason
    )
    return response.accepted({ sent: true })
  }
}
