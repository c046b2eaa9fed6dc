import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/**
 * An email as Purse stores it: trimmed, Unicode-normalised (NFKC) and
 * lower-cased before any lookup or uniqueness check, so "Ａlice@x.io " and
 * "alice@x.io" are one person.
 */
export function normalizeEmail(value: string): string {
  return value.trim().normalize('NFKC').toLowerCase()
}

/** Normalise first, then check the shape, so full-width input is judged as what it becomes. */
const normalizedEmail = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    const normalized = normalizeEmail(value)
    if (!vine.helpers.isEmail(normalized)) {
      field.report('The {{ field }} field must be a valid email address', 'email', field)
      return
    }
    field.mutate(normalized, field)
  }
)

/** An email to register: must look like one. */
export const newEmailRule = () => vine.string().maxLength(254).use(normalizedEmail())

/** An email to look someone up by: any string, normalised the same way. */
export const emailRule = () =>
  vine
    .string()
    .trim()
    .maxLength(254)
    .transform((value) => normalizeEmail(value))
