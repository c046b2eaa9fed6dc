import vine from '@vinejs/vine'
import { api_key_scopes } from '#identity/api_key_types'
import { displayText } from '#validators/display_text'
import { instant } from '#validators/instant'

export const createApiKeyValidator = vine.create({
  name: displayText(100, 1),
  scopes: vine.array(vine.enum(api_key_scopes)).minLength(1).maxLength(api_key_scopes.length),
  expires_at: instant().optional(),
})
