import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { audit } from '#audit/audit_log'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { spendingLimits } from '#payments/spending_limits'
import { limitsQueryValidator, setLimitValidator } from '#validators/limit_validators'
import { isUuid } from '#validators/uuid'

async function personOf(id: string) {
  const user = isUuid(id) ? await User.find(id) : null
  if (!user) throw new ApiError('not_found', 'No such user')
  return user
}

/** Payment limits: a person's own, and staff's view and overrides of anyone's. */
export default class LimitsController {
  async show({ auth, request }: HttpContext) {
    const { currency } = await limitsQueryValidator.validate(request.qs())
    const user = await User.findOrFail(auth.getUserOrFail().id)
    return { data: await spendingLimits.states(user, currency) }
  }

  async adminShow({ params, request }: HttpContext) {
    const { currency } = await limitsQueryValidator.validate(request.qs())
    return { data: await spendingLimits.states(await personOf(params.id), currency) }
  }

  /** Admin only, audited with the reason; `value: null` goes back to the default. */
  async adminSet({ params, request, auth }: HttpContext) {
    const input = await request.validateUsing(setLimitValidator)
    const person = await personOf(params.id)
    const actor = auth.getUserOrFail()
    if (person.id === actor.id)
      throw new ApiError('forbidden', 'Staff may not act on their own account or payments')
    await db.transaction(async (trx) => {
      await spendingLimits.set(trx, {
        userId: person.id,
        currency: input.currency,
        rule: input.rule,
        value: input.value,
        setBy: actor.id,
      })
      await audit.record(
        {
          actorId: actor.id,
          action: 'user.set_limit',
          targetType: 'user',
          targetId: person.id,
          reason: input.reason,
          requestId: request.id(),
          details: { currency: input.currency, rule: input.rule, value: input.value },
        },
        trx
      )
    })
    return { data: await spendingLimits.states(person, input.currency) }
  }
}
