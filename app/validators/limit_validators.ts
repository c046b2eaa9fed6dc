import vine from '@vinejs/vine'
import { limit_rules } from '#config/limits'
import { currencyRule } from '#validators/money_validators'
import { displayText } from '#validators/display_text'

export const limitsQueryValidator = vine.create({
  currency: currencyRule().optional(),
})

export const setLimitValidator = vine.create({
  currency: currencyRule(),
  rule: vine.enum(limit_rules),
  /** Minor units (a count for hourly_count); null: the default again. */
  value: vine
    .number({ strict: true })
    .withoutDecimals()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable(),
  reason: displayText(500, 3),
})
