import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { Claims } from '#claims/claims'
import { ApiError } from '#exceptions/api_error'
import { claimToJson } from '#transformers/claim_transformer'
import { isUuid } from '#validators/uuid'

/** Money a person sent to addresses with no account yet: waiting, claimed, cancelled, expired. */
@inject()
export default class ClaimsController {
  constructor(protected claims: Claims) {}

  async index({ auth }: HttpContext) {
    return { data: (await this.claims.list(auth.getUserOrFail().id, 100)).map(claimToJson) }
  }

  async cancel({ auth, params }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such claimable payment')
    return claimToJson(await this.claims.cancel(auth.getUserOrFail(), params.id))
  }
}
