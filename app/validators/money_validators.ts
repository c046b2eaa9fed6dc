import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { displayText } from '#validators/display_text'
import { emailRule } from '#validators/email'

/** The largest amount one request may move, in minor units. */
export const transfer_amount_max = Number(process.env.TRANSFER_AMOUNT_MAX ?? 100_000_000)

/**
 * An amount is a JSON integer within (0, max]. `strict` stops VineJS from
 * turning "100", true or [] into numbers; StrictInputMiddleware has already
 * turned 1e3, 1.0, -0 and unsafe integers into text so they fail here.
 */
const amount = vine.number({ strict: true }).withoutDecimals().min(1).max(transfer_amount_max)

/**
 * The amount mistake integrators make most is sending 12.50 for 1250: say
 * what an amount is, not VineJS's "must be a number" (which 12.5 is).
 */
const not_minor_units =
  'The amount must be a JSON integer in minor units (1250 for 12.50): not text, a fraction or an exponent'
export const amountMessages = new SimpleMessagesProvider({
  'amount.number': not_minor_units,
  'amount.withoutDecimals': not_minor_units,
})
const currency = vine
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/)

/** The longest description a payment may carry, in characters (code points). */
export const description_length_max = 280

export const createTransferValidator = vine.create({
  receiver_email: emailRule().optional().requiredIfMissing('receiver_id'),
  receiver_id: vine.string().uuid().optional(),
  amount,
  currency: currency.clone().optional(),
  // Blank is no description: null in every answer, as when none is sent.
  description: displayText(description_length_max)
    .optional()
    .transform((text) => (text === '' ? undefined : text)),
})

export const depositValidator = vine.create({
  amount,
  currency: currency.clone().optional(),
})

createTransferValidator.messagesProvider = amountMessages
depositValidator.messagesProvider = amountMessages

export const openWalletValidator = vine.create({
  currency,
})

export const listTransfersValidator = vine.create({
  direction: vine.enum(['sent', 'received', 'all']).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})
