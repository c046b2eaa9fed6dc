import { parseAmount } from '@purse/sdk'
import { decimal_mark, locale, money } from '../common/money.ts'

/** What the person typed, as typed. */
export interface Draft {
  to: string
  amount: string
  currency: string
  description: string
}

/** A draft checked and turned into what the API takes (amount in minor units). */
export interface Payment {
  receiver_email: string
  amount: number
  currency: string
  description?: string
}

export interface Limits {
  amountMax: number
  descriptionMax: number
}

/** Characters as a person counts them (an emoji is one), as the API counts them. */
export function characters(text: string): number {
  return [...text].length
}

/**
 * Check a draft before the review step; the server checks it all again.
 * Returns the payment, or a message per field in words.
 */
export function check(
  draft: Draft,
  limits: Limits,
  myEmail: string
): { payment: Payment } | { errors: Partial<Record<keyof Draft, string>> } {
  const errors: Partial<Record<keyof Draft, string>> = {}
  const to = draft.to.trim()
  if (!/^[^\s@]+@[^\s@]+$/.test(to)) errors.to = 'Enter the email address of the person to pay.'
  else if (to.toLowerCase() === myEmail.toLowerCase())
    errors.to = 'That is your own email. Choose someone else to pay.'
  let amount = 0
  try {
    amount = parseAmount(draft.amount, draft.currency, locale)
    if (amount <= 0) errors.amount = 'Enter an amount above zero.'
    else if (amount > limits.amountMax)
      errors.amount = `The most one payment can send is ${money(limits.amountMax, draft.currency)}.`
  } catch {
    errors.amount = `Enter an amount like 12${decimal_mark}50, in ${draft.currency}.`
  }
  if (characters(draft.description) > limits.descriptionMax)
    errors.description = `Keep it to ${limits.descriptionMax} characters.`
  if (Object.keys(errors).length > 0) return { errors }
  const description = draft.description.trim()
  return {
    payment: {
      receiver_email: to,
      amount,
      currency: draft.currency,
      ...(description ? { description } : {}),
    },
  }
}
