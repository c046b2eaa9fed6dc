/**
 * The one catalogue of ledger error codes. Each code maps to exactly one HTTP
 * status; the HTTP layer reads it from here and nowhere else.
 */
export const error_catalogue = {
  validation_failed: { status: 422, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_path: { status: 400, title: 'The path cannot be read' },
  unsupported_media_type: { status: 415, title: 'The body must be application/json' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unauthorized: { status: 401, title: 'A valid service token is required' },
  not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'The route does not take this method' },
  account_not_found: { status: 404, title: 'No such account' },
  transfer_not_found: { status: 404, title: 'No such transfer' },
  insufficient_funds: { status: 422, title: 'The debit account cannot cover the amount' },
  account_frozen: { status: 422, title: 'An account of the transfer is frozen' },
  account_closed: { status: 422, title: 'An account of the transfer is closed' },
  currency_mismatch: {
    status: 422,
    title: 'The currencies of the transfer and its accounts differ',
  },
  same_account: { status: 422, title: 'The debit and credit accounts are the same' },
  amount_exceeds_pending: { status: 422, title: 'The amount is larger than the transfer allows' },
  balance_overflow: {
    status: 422,
    title: 'The transfer would take a balance past the representable range',
  },
  invalid_state: { status: 409, title: 'The transfer is not in a state that allows this' },
  already_reversed: { status: 409, title: 'The transfer has already been reversed in full' },
  idempotency_key_required: { status: 400, title: 'An Idempotency-Key header is required' },
  idempotency_key_reused: {
    status: 422,
    title: 'The idempotency key was used for a different request',
  },
  idempotency_key_in_use: {
    status: 409,
    title: 'A request with this idempotency key is still running',
  },
  service_unavailable: {
    status: 503,
    title: 'The ledger cannot serve this right now; retrying (with the same key) is safe',
  },
  internal_error: { status: 500, title: 'Internal error' },
} as const

export type ErrorCode = keyof typeof error_catalogue

export interface FieldError {
  field: string
  message: string
}

/** An expected, answerable failure: it becomes a problem+json response. */
export class LedgerError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly errors?: FieldError[]
  readonly index?: number
  /** True when this is the stored first answer to an idempotency key. */
  readonly replayed: boolean

  constructor(
    code: ErrorCode,
    detail: string,
    extra: { errors?: FieldError[]; index?: number; replayed?: boolean } = {}
  ) {
    super(detail)
    this.name = 'LedgerError'
    this.code = code
    this.status = error_catalogue[code].status
    this.errors = extra.errors
    this.index = extra.index
    this.replayed = extra.replayed ?? false
  }

  withIndex(index: number): LedgerError {
    return new LedgerError(this.code, this.message, { errors: this.errors, index })
  }
}

/** A broken invariant: a bug. It must never be answered as if it were normal. */
export class InvariantViolation extends Error {
  constructor(message: string) {
    super(`ledger invariant violated: ${message}`)
    this.name = 'InvariantViolation'
  }
}

export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message)
}
