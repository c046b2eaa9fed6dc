import vine from '@vinejs/vine'
import { displayText } from '#validators/display_text'
import { emailRule } from '#validators/email'
import { amountRule, currencyRule, description_length_max } from '#validators/money_validators'

export const createPaymentRequestValidator = vine.create({
  payer_email: emailRule().optional().requiredIfMissing('payer_id'),
  payer_id: vine.string().uuid().optional(),
  amount: amountRule(),
  currency: currencyRule().optional(),
  note: displayText(description_length_max)
    .optional()
    .transform((text) => (text === '' ? undefined : text)),
})

export const listPaymentRequestsValidator = vine.create({
  role: vine.enum(['payer', 'payee'] as const),
  status: vine.enum(['pending', 'paid', 'declined', 'cancelled', 'expired'] as const).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})
