import { dictionary } from '@zxcvbn-ts/language-common'

/**
 * The passwords attackers try first: zxcvbn-ts's list of the most common
 * ones seen in breaches (about 49,000, 18,000 of them 8 characters or more),
 * lower-cased. Held in memory once: a Set look-up per new password.
 */
export const commonPasswords: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map((password) => password.toLowerCase())
)
