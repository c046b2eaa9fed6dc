import vine from '@vinejs/vine'
import { event_types } from '#events/event_catalogue'
import { displayText } from '#validators/display_text'

const url = vine.string().trim().maxLength(2048)
/** The types an endpoint wants; none or an empty list: every type. */
const types = vine.array(vine.enum(event_types)).maxLength(event_types.length)

export const createWebhookEndpointValidator = vine.create({
  url,
  event_types: types.optional(),
  description: displayText(200).optional(),
  enabled: vine.boolean({ strict: true }).optional(),
})

export const updateWebhookEndpointValidator = vine.create({
  url: url.clone().optional(),
  event_types: types.clone().optional(),
  description: displayText(200).nullable().optional(),
  enabled: vine.boolean({ strict: true }).optional(),
})

export const pageValidator = vine.create({
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})

export const resendValidator = vine.create({
  event_id: vine.string().uuid(),
  reason: displayText(500, 3),
})
