import vine from '@vinejs/vine'

/**
 * An email as Purse stores it: trimmed, Unicode-normalised (NFKC) and
 * lower-cased before any lookup or uniqueness check, so "Ａlice@x.io " and
 * "alice@x.io" are one person.
 */
export function normalizeEmail(value: string): string {
  return value.trim().normalize('NFKC').toLowerCase()
}

/** An email to register: must look like one. */
export const newEmailRule = () =>
  vine
    .string()
    .trim()
    .maxLength(254)
    .email()
    .transform((value) => normalizeEmail(value))

/** An email to look someone up by: any string, normalised the same way. */
export const emailRule = () =>
  vine
    .string()
    .trim()
    .maxLength(254)
    .transform((value) => normalizeEmail(value))
