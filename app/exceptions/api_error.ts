/**
 * The one catalogue of public API error codes. Each code has exactly one
 * HTTP status; app/exceptions/handler.ts turns every error into problem+json
 * from here.
 */
export const api_errors = {
  validation_failed: { status: 422, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_path: { status: 400, title: 'The path cannot be read' },
  invalid_request: { status: 400, title: 'The request is not valid HTTP' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'The body must be application/json' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'This resource does not take that method' },
  unauthorized: { status: 401, title: 'A valid access token is required' },
  forbidden: { status: 403, title: 'You may not do this' },
  insufficient_scope: { status: 403, title: 'This API key may not do this' },
  email_taken: { status: 409, title: 'An account with this email exists' },
  email_unverified: { status: 403, title: 'Verify your email address before sending money' },
  email_already_verified: { status: 409, title: 'The email address is already verified' },
  invalid_token: {
    status: 400,
    title: 'The link is not valid: it was used, it expired, or a newer one replaced it',
  },
  mfa_required: {
    status: 401,
    title: 'Sign-in needs a second step: an authenticator code, a recovery code or a passkey',
  },
  mfa_challenge_expired: {
    status: 401,
    title: 'The sign-in took too long or was finished already; sign in again',
  },
  invalid_code: { status: 422, title: 'The code is not right, or was used already' },
  passkey_invalid: { status: 422, title: 'The passkey could not be checked; try again' },
  step_up_required: {
    status: 403,
    title: 'Confirm it is you with your second factor first',
  },
  mfa_already_enabled: { status: 409, title: 'The authenticator app is already turned on' },
  mfa_not_enabled: { status: 409, title: 'The authenticator app is not turned on' },
  mfa_not_enrolling: {
    status: 409,
    title: 'No authenticator app is waiting for its first code; start again',
  },
  invalid_credentials: { status: 401, title: 'The email or password is wrong' },
  too_many_attempts: { status: 429, title: 'Too many failed attempts; wait before trying again' },
  rate_limited: { status: 429, title: 'Too many requests; slow down' },
  invalid_refresh_token: { status: 401, title: 'The refresh token is not valid' },
  refresh_token_reused: { status: 401, title: 'The refresh token was already used; sign in again' },
  payer_not_found: { status: 404, title: 'No user with that email or id to ask' },
  self_request: { status: 422, title: 'You cannot ask yourself for money' },
  request_not_pending: {
    status: 409,
    title: 'The request no longer waits: it was paid, declined, cancelled or expired',
  },
  insufficient_funds: { status: 422, title: 'The wallet does not hold enough money' },
  self_transfer: { status: 422, title: 'You cannot send money to yourself' },
  receiver_not_found: { status: 404, title: 'No user with that email or id' },
  account_frozen: { status: 403, title: 'An account of this transfer is frozen' },
  currency_not_supported: { status: 422, title: 'That currency is not supported here' },
  wallet_not_found: { status: 404, title: 'You have no wallet in that currency' },
  sandbox_disabled: { status: 403, title: 'Sandbox deposits are turned off' },
  refund_exceeds_transfer: {
    status: 422,
    title: 'A refund cannot give back more than is left of the payment',
  },
  claim_not_pending: {
    status: 409,
    title: 'The money no longer waits: it was claimed, cancelled or it expired',
  },
  limit_exceeded: {
    status: 422,
    title: 'The payment would pass one of your limits',
  },
  self_approval: { status: 403, title: 'A second admin must approve what you proposed' },
  proposal_not_pending: {
    status: 409,
    title: 'The proposal was decided already, or expired',
  },
  already_reversed: { status: 409, title: 'The transfer has already been reversed' },
  idempotency_key_reused: {
    status: 422,
    title: 'The idempotency key was used for a different request',
  },
  idempotency_key_in_use: {
    status: 409,
    title: 'A request with this idempotency key is still running',
  },
  ledger_unavailable: {
    status: 503,
    title: 'Money cannot move right now; retrying with the same Idempotency-Key is safe',
  },
  service_unavailable: {
    status: 503,
    title: 'The service cannot reach its database right now; try again shortly',
  },
  internal_error: { status: 500, title: 'Internal error' },
} as const

export type ApiErrorCode = keyof typeof api_errors

export interface FieldError {
  field: string
  message: string
}

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly status: number
  readonly errors?: FieldError[]
  /** Seconds, for 429 and 503. */
  readonly retryAfter?: number
  /** Sent back as the Idempotency-Key header: the key that learns this payment's outcome. */
  readonly idempotencyKey?: string
  /** For 405, the methods the resource takes (the Allow header). */
  readonly allow?: string[]
  /** The stored first answer to the request's idempotency key (the Idempotent-Replayed header). */
  readonly replayed?: boolean
  /** Members added to the problem (RFC 9457 §3.2): what the client needs to go on. */
  readonly extensions?: Record<string, unknown>

  constructor(
    code: ApiErrorCode,
    detail?: string,
    extra: {
      errors?: FieldError[]
      retryAfter?: number
      idempotencyKey?: string
      allow?: string[]
      replayed?: boolean
      extensions?: Record<string, unknown>
    } = {}
  ) {
    super(detail ?? api_errors[code].title)
    this.code = code
    this.status = api_errors[code].status
    this.errors = extra.errors
    this.retryAfter = extra.retryAfter
    this.idempotencyKey = extra.idempotencyKey
    this.allow = extra.allow
    this.replayed = extra.replayed
    this.extensions = extra.extensions
  }
}
