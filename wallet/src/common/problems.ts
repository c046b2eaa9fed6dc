import { PurseApiError, PurseNetworkError } from '@purse/sdk'

/** After a refusal, what the person can do, in words (never a code). */
const words: Partial<Record<PurseApiError['code'], string>> = {
  invalid_credentials: "That email and password don't match an account.",
  email_taken: 'There is already an account with this email. Sign in instead.',
  receiver_not_found: 'There is no Purse account with that email. Check the spelling.',
  self_transfer: 'That is your own email. Choose someone else to pay.',
  account_frozen:
    "This payment can't be made: one of the accounts is frozen. Contact support if it's yours.",
  currency_not_supported: "Purse doesn't hold that currency here.",
  wallet_not_found: 'You have no wallet in that currency yet. Open one from Home.',
  sandbox_disabled: 'Adding money is not available on this service.',
  not_found: "There's nothing here. The link may be wrong, or it isn't yours to see.",
  validation_failed: 'Check the highlighted fields.',
  email_unverified:
    'Confirm your email address before sending money: open the link we mailed you, or send a new one from Account.',
  email_already_verified: 'Your email address is already confirmed.',
  invalid_token: 'This link no longer works: it was used, it expired, or a newer one replaced it.',
  mfa_challenge_expired: 'That took too long. Sign in again.',
  invalid_code: "That code isn't right, or was used already. Try the newest code.",
  passkey_invalid: "That passkey couldn't be checked. Try again, or use another way.",
  mfa_already_enabled: 'The authenticator app is already on.',
  mfa_not_enabled: 'The authenticator app is off.',
  mfa_not_enrolling: 'Start setting up the authenticator app again.',
  ledger_unavailable: "Nothing was sent: Purse can't move money right now. Try again in a moment.",
  service_unavailable: "Purse isn't answering right now. Try again in a moment.",
  internal_error: 'Something went wrong on our side. Try again in a moment.',
}

/** A problem as one sentence a person understands, with when to try again where the API said. */
export function problemText(error: unknown): string {
  if (error instanceof PurseNetworkError)
    return "We couldn't reach Purse. Check your connection and try again."
  if (!(error instanceof PurseApiError)) return 'Something went wrong. Reload the page to continue.'
  if (error.code === 'too_many_attempts')
    return `Too many tries. Try again ${inTime(error.retryAfter)}.`
  if (error.code === 'rate_limited')
    return `That's a lot of requests in a short time. Try again ${inTime(error.retryAfter)}.`
  // The API says it in words already, with the balance available.
  if (error.code === 'insufficient_funds') return error.detail
  return words[error.code] ?? error.detail
}

/** A failed payment: a network failure leaves it open, and trying again pays at most once. */
export function paymentProblemText(error: unknown): string {
  if (error instanceof PurseNetworkError)
    return "We didn't get an answer. Try again: the payment is made once at most, however often you try."
  return problemText(error)
}

/** The API's per-field messages (problem+json `errors`), by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof PurseApiError)) return {}
  return Object.fromEntries(error.fieldErrors.map((e) => [e.field, e.message]))
}

export function isNotFound(error: unknown): boolean {
  return error instanceof PurseApiError && error.status === 404
}

function inTime(seconds: number | undefined): string {
  if (!seconds) return 'in a little while'
  if (seconds < 90) return `in ${seconds} seconds`
  return `in ${Math.ceil(seconds / 60)} minutes`
}
