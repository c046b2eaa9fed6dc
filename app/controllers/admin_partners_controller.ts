import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { listEvents } from '#events/event_reads'
import { apiKeys } from '#identity/api_keys'
import { StaffActions } from '#staff/staff_actions'
import { StaffQueries } from '#staff/staff_queries'
import { apiKeyToJson } from '#transformers/api_key_transformer'
import { eventToJson } from '#transformers/event_transformer'
import { webhookAttemptToJson, webhookEndpointToJson } from '#transformers/webhook_transformer'
import { reasonValidator } from '#validators/admin_validators'
import { listAdminEventsValidator } from '#validators/event_validators'
import { pageValidator, resendValidator } from '#validators/webhook_validators'
import { isUuid } from '#validators/uuid'
import { ApiError } from '#exceptions/api_error'
import { webhookEndpoints } from '#webhooks/webhook_endpoints'

/** Staff's view of what partners hold: people's API keys, events and webhooks. */
@inject()
export default class AdminPartnersController {
  constructor(
    protected queries: StaffQueries,
    protected actions: StaffActions
  ) {}

  async apiKeys({ params }: HttpContext) {
    const user = await this.queries.findUser(params.id)
    return { data: (await apiKeys.list(user.id)).map(apiKeyToJson) }
  }

  async revokeApiKey({ params, request, auth }: HttpContext) {
    const { reason } = await request.validateUsing(reasonValidator)
    const key = await this.actions.revokeApiKey(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      reason
    )
    return apiKeyToJson(key)
  }

  async events({ request }: HttpContext) {
    const query = await listAdminEventsValidator.validate(request.qs())
    const page = await listEvents({
      userId: query.user_id,
      type: query.type,
      limit: query.limit ?? 25,
      cursor: query.cursor,
    })
    return { data: page.data.map(eventToJson), next_cursor: page.next_cursor }
  }

  async webhookEndpoints({ params }: HttpContext) {
    const user = await this.queries.findUser(params.id)
    return { data: (await webhookEndpoints.list(user.id)).map(webhookEndpointToJson) }
  }

  async webhookAttempts({ params, request }: HttpContext) {
    const query = await pageValidator.validate(request.qs())
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such webhook endpoint')
    const endpoint = await webhookEndpoints.find(params.id)
    const page = await webhookEndpoints.attempts(endpoint.id, query.limit ?? 25, query.cursor)
    return { data: page.data.map(webhookAttemptToJson), next_cursor: page.next_cursor }
  }

  async resend({ params, request, response, auth }: HttpContext) {
    const { event_id: eventId, reason } = await request.validateUsing(resendValidator)
    const { delivery } = await this.actions.resendWebhook(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      eventId,
      reason
    )
    return response.created({
      id: delivery.id,
      status: delivery.status,
      created_at: new Date(delivery.created_at).toISOString(),
    })
  }
}
