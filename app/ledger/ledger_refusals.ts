import type { ErrorCode } from '@purse/ledger-core'
import { ApiError, type ApiErrorCode } from '#exceptions/api_error'
import { ledger, LedgerRefusal, LedgerUnavailable } from '#ledger/ledger_gateway'
import { moneyText } from '#platform/money_text'

/**
 * Every ledger-core error code as the public API names it: the one map, so a
 * payment, a staff action and the exception handler answer a refusal alike.
 * Codes that only a defect of the app's own requests can cause (a route, a
 * header or a body ledger-core rejects) are internal errors, not the
 * caller's fault. Typed over ledger-core's catalogue, so a new ledger code
 * does not compile until it is mapped here.
 */
const public_codes: Record<ErrorCode, ApiErrorCode> = {
  insufficient_funds: 'insufficient_funds',
  account_frozen: 'account_frozen',
  account_closed: 'account_frozen',
  currency_mismatch: 'currency_not_supported',
  account_not_found: 'not_found',
  transfer_not_found: 'not_found',
  already_reversed: 'already_reversed',
  amount_exceeds_pending: 'validation_failed',
  balance_overflow: 'validation_failed',
  invalid_state: 'validation_failed',
  validation_failed: 'validation_failed',
  idempotency_key_reused: 'idempotency_key_reused',
  idempotency_key_in_use: 'idempotency_key_in_use',
  service_unavailable: 'ledger_unavailable',
  same_account: 'internal_error',
  invalid_json: 'internal_error',
  invalid_path: 'internal_error',
  unsupported_media_type: 'internal_error',
  payload_too_large: 'internal_error',
  unauthorized: 'internal_error',
  not_found: 'internal_error',
  method_not_allowed: 'internal_error',
  idempotency_key_required: 'internal_error',
  internal_error: 'internal_error',
}

/**
 * A ledger failure as the API answers it; any other error is returned as
 * it is. `idempotencyKey` is the caller's key for a movement: sent back
 * when the movement may have been made, so the caller can learn its outcome.
 */
export function asApiError(
  error: LedgerRefusal | LedgerUnavailable,
  idempotencyKey?: string
): ApiError
export function asApiError(error: unknown, idempotencyKey?: string): unknown
export function asApiError(error: unknown, idempotencyKey?: string): unknown {
  if (error instanceof LedgerUnavailable) return ledgerUnavailable(error, idempotencyKey)
  if (error instanceof LedgerRefusal) {
    const code = public_codes[error.code]
    // ledger-core's words name its accounts and routes; the API's own say what a person can do.
    const own = code === 'insufficient_funds' || code === 'not_found' || code === 'internal_error'
    return new ApiError(code, own ? undefined : error.message, { replayed: error.replayed })
  }
  return error
}

/**
 * ledger_unavailable, said truthfully: nothing moved when the request never
 * reached ledger-core; otherwise a movement may have been made, and the same
 * key (the caller's, or the one the API chose, sent back) learns its outcome.
 */
export function ledgerUnavailable(error: { sent: boolean }, idempotencyKey?: string): ApiError {
  const detail = error.sent
    ? 'ledger-core did not finish this request. If it moves money, it may have been made: repeat it with the same Idempotency-Key to learn the outcome; it is never made twice.'
    : 'ledger-core cannot be reached; nothing was moved, and retrying is safe.'
  return new ApiError('ledger_unavailable', detail, {
    retryAfter: 1,
    idempotencyKey: error.sent ? idempotencyKey : undefined,
  })
}

/**
 * insufficient_funds in words a person can act on: what the wallet holds
 * available and what the movement needs (never a ledger account id). A
 * replayed refusal says that the key's first answer stands.
 */
export async function insufficientFunds(
  refusal: LedgerRefusal,
  debit: { accountId: string; amount: number },
  words: { whose: 'your' | 'the'; movement: 'payment' | 'debit' }
): Promise<ApiError> {
  const account = await (await ledger()).getAccount(debit.accountId)
  const wallet = `${words.whose} ${account.currency} wallet`
  const available = moneyText(account.available_balance, account.currency)
  const detail = refusal.replayed
    ? `The first request with this Idempotency-Key was refused because ${wallet} held too little, and that answer stands for the key. It has ${available} available now: send the ${words.movement} again with a new key.`
    : `${wallet[0]!.toUpperCase()}${wallet.slice(1)} has ${available} available; this ${words.movement} needs ${moneyText(debit.amount, account.currency)}.`
  return new ApiError('insufficient_funds', detail, { replayed: refusal.replayed })
}
