import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#exceptions/api_error'
import { webhookAttemptToJson, webhookEndpointToJson } from '#transformers/webhook_transformer'
import {
  createWebhookEndpointValidator,
  pageValidator,
  updateWebhookEndpointValidator,
} from '#validators/webhook_validators'
import { isUuid } from '#validators/uuid'
import { webhookEndpoints } from '#webhooks/webhook_endpoints'

/** A person's webhook endpoints (scope webhooks:manage for an API key). */
export default class WebhookEndpointsController {
  async index({ auth }: HttpContext) {
    const endpoints = await webhookEndpoints.list(auth.getUserOrFail().id)
    return { data: endpoints.map(webhookEndpointToJson) }
  }

  async store({ request, response, auth }: HttpContext) {
    const input = await request.validateUsing(createWebhookEndpointValidator)
    const { endpoint, secret } = await webhookEndpoints.create(auth.getUserOrFail().id, input)
    // The signing secret is in this answer and nowhere else.
    return response.created({ ...webhookEndpointToJson(endpoint), secret })
  }

  async show({ params, auth }: HttpContext) {
    return webhookEndpointToJson(await webhookEndpoints.find(id(params), auth.getUserOrFail().id))
  }

  async update({ params, request, auth }: HttpContext) {
    const input = await request.validateUsing(updateWebhookEndpointValidator)
    return webhookEndpointToJson(
      await webhookEndpoints.update(auth.getUserOrFail().id, id(params), input)
    )
  }

  async destroy({ params, auth, response }: HttpContext) {
    await webhookEndpoints.delete(auth.getUserOrFail().id, id(params))
    return response.noContent()
  }

  async rotateSecret({ params, auth }: HttpContext) {
    const { endpoint, secret } = await webhookEndpoints.rotateSecret(
      auth.getUserOrFail().id,
      id(params)
    )
    return { ...webhookEndpointToJson(endpoint), secret }
  }

  async attempts({ params, request, auth }: HttpContext) {
    const query = await pageValidator.validate(request.qs())
    const endpoint = await webhookEndpoints.find(id(params), auth.getUserOrFail().id)
    const page = await webhookEndpoints.attempts(endpoint.id, query.limit ?? 25, query.cursor)
    return { data: page.data.map(webhookAttemptToJson), next_cursor: page.next_cursor }
  }
}

function id(params: Record<string, string>) {
  if (!isUuid(params.id)) throw new ApiError('not_found', 'No such webhook endpoint')
  return params.id
}
