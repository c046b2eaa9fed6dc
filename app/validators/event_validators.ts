import vine from '@vinejs/vine'
import { event_types } from '#events/event_catalogue'

export const listEventsValidator = vine.create({
  type: vine.enum(event_types).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})

export const listAdminEventsValidator = vine.create({
  user_id: vine.string().uuid().optional(),
  type: vine.enum(event_types).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})
