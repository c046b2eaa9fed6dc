import vine from '@vinejs/vine'
import { displayText } from '#validators/display_text'
import { emailRule, newEmailRule } from '#validators/email'
import { characters } from '#validators/text_length'

/** Over-long strings stop here, before any hashing work. */
export const registerValidator = vine.create({
  email: newEmailRule(),
  password: vine.string().use(characters({ min: 8, max: 128 })),
  full_name: displayText(100, 1),
  phone: vine
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/)
    .optional(),
})

export const loginValidator = vine.create({
  email: emailRule(),
  password: vine.string().use(characters({ min: 1, max: 128 })),
})

export const refreshValidator = vine.create({
  refresh_token: vine.string().minLength(1).maxLength(200),
})
