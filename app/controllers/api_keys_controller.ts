import type { HttpContext } from '@adonisjs/core/http'
import { stepUps } from '#identity/second_factor'
import { ApiError } from '#exceptions/api_error'
import { apiKeys } from '#identity/api_keys'
import { apiKeyToJson } from '#transformers/api_key_transformer'
import { createApiKeyValidator } from '#validators/api_key_validators'
import { isUuid } from '#validators/uuid'

/** A person's API keys; signed in as the person only (a key cannot manage keys). */
export default class ApiKeysController {
  async index({ auth }: HttpContext) {
    return { data: (await apiKeys.list(auth.getUserOrFail().id)).map(apiKeyToJson) }
  }

  async store({ request, response, auth }: HttpContext) {
    const input = await request.validateUsing(createApiKeyValidator)
    // Its payments skip the step-up a person's large payment needs: this is that step.
    if (input.scopes.includes('transfers:write'))
      await stepUps.require(
        auth.getUserOrFail(),
        auth.use('bearer').claims?.sid,
        'An API key that can send money',
        'allow'
      )
    const { key, secret } = await apiKeys.create(auth.getUserOrFail(), input)
    // The secret is in this answer and nowhere else, ever.
    return response.created({ ...apiKeyToJson(key), secret })
  }

  async destroy({ params, auth }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such API key')
    return apiKeyToJson(await apiKeys.revoke(params.id, { ownerId: auth.getUserOrFail().id }))
  }
}
