import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { ExceptionHandler, type HttpContext } from '@adonisjs/core/http'
import { isConnectionError } from '@purse/ledger-core'
import { errors as vineErrors } from '@vinejs/vine'
import { ApiError, api_errors, type ApiErrorCode, type FieldError } from '#exceptions/api_error'
import { LedgerRefusal, LedgerUnavailable } from '#ledger/ledger_gateway'
import { asApiError } from '#ledger/ledger_refusals'

/**
 * Every error leaves as application/problem+json with a stable code and the
 * request id. Expected errors are answered; unexpected ones are logged and
 * answered as internal_error, never with a stack trace or SQL.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  async handle(error: unknown, ctx: HttpContext) {
    const problem =
      (error as { code?: string })?.code === 'E_ROUTE_NOT_FOUND' ? noRoute(ctx) : toApiError(error)
    if (problem.allow) ctx.response.header('Allow', problem.allow.join(', '))
    if (problem.retryAfter !== undefined)
      ctx.response.header('Retry-After', String(problem.retryAfter))
    if (problem.idempotencyKey !== undefined)
      ctx.response.header('Idempotency-Key', problem.idempotencyKey)
    if (problem.replayed) ctx.response.header('Idempotent-Replayed', 'true')
    ctx.response
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send({
        type: `urn:purse:error:${problem.code}`,
        title: api_errors[problem.code].title,
        status: problem.status,
        code: problem.code,
        detail: problem.message,
        ...(problem.errors ? { errors: problem.errors } : {}),
        ...problem.extensions,
        request_id: ctx.request.id(),
      })
  }

  async report(error: unknown, ctx: HttpContext) {
    if (toApiError(error).status >= 500) ctx.logger.error({ err: error }, 'request failed')
  }
}

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * No route for this method and path: 405 with the methods the path takes
 * (RFC 9110 §15.5.6), so `PUT /transfers` says what to do instead; 404 when
 * no method would match.
 */
function noRoute(ctx: HttpContext): ApiError {
  const path = ctx.request.url()
  const decode = ctx.request.parsedUrl.shouldDecodeParam
  const allow = methods.filter((method) => router.match(path, method, decode) !== null)
  if (allow.length === 0) return new ApiError('not_found')
  return new ApiError(
    'method_not_allowed',
    `${ctx.request.method()} is not allowed here; this resource takes ${allow.join(', ')}`,
    { allow }
  )
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  // Wherever a ledger call was not mapped on purpose.
  if (error instanceof LedgerUnavailable || error instanceof LedgerRefusal) return asApiError(error)
  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    const errors: FieldError[] = (error.messages as { field: string; message: string }[]).map(
      (m) => ({
        field: m.field,
        message: m.message,
      })
    )
    return new ApiError('validation_failed', 'Some fields are not valid', { errors })
  }
  const code = (error as { code?: string })?.code
  const status = (error as { status?: number })?.status
  const byCode: Record<string, ApiErrorCode> = {
    E_ROUTE_NOT_FOUND: 'not_found',
    E_UNAUTHORIZED_ACCESS: 'unauthorized',
    E_AUTHORIZATION_FAILURE: 'forbidden',
    E_TOO_MANY_REQUESTS: 'rate_limited',
    E_ROW_NOT_FOUND: 'not_found',
  }
  if (code && byCode[code]) {
    const retryAfter = (error as any)?.response?.availableIn
    return new ApiError(
      byCode[code],
      undefined,
      retryAfter ? { retryAfter: Math.ceil(retryAfter) } : {}
    )
  }
  if (status === 413) return new ApiError('payload_too_large')
  if (status === 415) {
    // The body parser's inflater names an encoding it cannot undo; say that, not the media type.
    const encoding = /^Unsupported Content-Encoding/.test((error as Error).message)
    return new ApiError(
      'unsupported_media_type',
      encoding
        ? 'The Content-Encoding is not supported: send identity, gzip, deflate or br'
        : undefined
    )
  }
  if (status === 400) return new ApiError('invalid_json', (error as Error).message)
  // The database down, restarting or out of connections is an outage, not a
  // bug: clients may retry (a money route with the same key).
  if (isConnectionError(error) || (error as Error)?.name === 'KnexTimeoutError')
    return new ApiError('service_unavailable', undefined, { retryAfter: 2 })
  return new ApiError('internal_error', 'Something went wrong on our side')
}
