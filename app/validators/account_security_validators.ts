import vine from '@vinejs/vine'
import { emailRule } from '#validators/email'
import { characters } from '#validators/text_length'

/** The secret of a mailed link: 43 base64url characters; anything far longer is not one. */
const token = () => vine.string().minLength(1).maxLength(200)
const newPassword = () => vine.string().use(characters({ min: 8, max: 128 }))

export const emailTokenValidator = vine.create({ token: token() })

export const forgotPasswordValidator = vine.create({ email: emailRule() })

export const resetPasswordValidator = vine.create({ token: token(), password: newPassword() })

export const changePasswordValidator = vine.create({
  current_password: vine.string().use(characters({ min: 1, max: 128 })),
  password: newPassword(),
})
