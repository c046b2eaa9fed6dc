import vine from '@vinejs/vine'
import type { FieldContext, Infer } from '@vinejs/vine/types'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import type { SendMoney } from '#payments/payments'
import { displayText } from '#validators/display_text'
import { newEmailRule } from '#validators/email'
import { description_length_max } from '#validators/text_length'

/**
 * The amount mistake integrators make most is sending 12.50 for 1250: say
 * what an amount is, not VineJS's "must be a number" (which 12.5 is).
 */
const not_minor_units =
  'The {{ field }} field must be a JSON integer in minor units (1250 for 12.50): not text, a fraction or an exponent'

/** How StrictInputMiddleware hands on a JSON number it would not take as one: its text. */
const json_number_text = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/

/**
 * An amount in minor units: a JSON integer from `min` to `max`. VineJS's
 * number() would turn "100", true or [] into numbers; StrictInputMiddleware
 * has already turned 1e3, 1.0, -0 and integers past 2^53 into their text, so
 * they are refused here, and one past the bounds is told the bound.
 */
const minorUnitsRule = vine.createRule(
  (value: unknown, bounds: { min: number; max: number }, field: FieldContext) => {
    const number =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && json_number_text.test(value)
          ? Number(value)
          : Number.NaN
    if (number > bounds.max)
      field.report(
        'The {{ field }} field must be at most {{ max }} (minor units)',
        'minorUnitsMax',
        field,
        bounds
      )
    else if (number < bounds.min)
      field.report(
        'The {{ field }} field must be at least {{ min }} (minor units)',
        'minorUnitsMin',
        field,
        bounds
      )
    else if (typeof value !== 'number' || !Number.isSafeInteger(value))
      field.report(not_minor_units, 'minorUnits', field)
  }
)

/** A whole number of minor units within [min, max]. */
export function minorUnits(min: number, max: number) {
  return vine
    .any()
    .use(minorUnitsRule({ min, max }))
    .transform((value) => value as number)
}

const amount = minorUnits(1, paymentsConfig.transferAmountMax)
/** A payment's amount: 1 to TRANSFER_AMOUNT_MAX minor units. */
export const amountRule = () => amount.clone()

/** ISO 4217, case-insensitive in requests; upper case from here on. */
const currency = vine
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/)
export const currencyRule = () => currency.clone()

export { description_length_max }

export const createTransferValidator = vine.create({
  receiver_email: newEmailRule().optional().requiredIfMissing('receiver_id'),
  receiver_id: vine.string().uuid().optional(),
  amount,
  currency: currency.clone().optional(),
  // Blank is no description: null in every answer, as when none is sent.
  description: displayText(description_length_max)
    .optional()
    .transform((text) => (text === '' ? undefined : text)),
  /** To an email with no account yet: the money waits for that person to sign up. */
  claimable: vine.boolean({ strict: true }).optional(),
})

/** A refund: all that is left of the payment unless an amount is named. */
export const refundValidator = vine.create({
  amount: amount.clone().optional(),
  reason: displayText(description_length_max)
    .optional()
    .transform((text) => (text === '' ? undefined : text)),
})

export const depositValidator = vine.create({
  amount,
  currency: currency.clone().optional(),
})

/**
 * The validated body as a payment: exactly one receiver (the validator
 * already asked for one), in USD unless another currency is named.
 */
export function paymentOf(input: Infer<typeof createTransferValidator>): SendMoney {
  const { receiver_email: email, receiver_id: id, ...rest } = input
  const payment = { ...rest, currency: rest.currency ?? 'USD' }
  if (email !== undefined && id !== undefined)
    throw new ApiError('validation_failed', 'Name the receiver once', {
      errors: [{ field: 'receiver_id', message: 'Send receiver_email or receiver_id, not both' }],
    })
  return id !== undefined ? { ...payment, receiver_id: id } : { ...payment, receiver_email: email! }
}

export const openWalletValidator = vine.create({
  currency,
})

export const listTransfersValidator = vine.create({
  direction: vine.enum(['sent', 'received', 'all']).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})
