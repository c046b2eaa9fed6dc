import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { decodeJsonBody, isStorableText, parseStrictJson } from '@purse/ledger-core'
import { ApiError } from '#exceptions/api_error'

const methods_with_bodies = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The one place that decides what a request may carry before any route reads
 * it (the body parser only reads an application/json body as text, and
 * leaves the rest to this):
 * - a body is JSON (`application/json`) or nothing: any other type is 415, unread;
 * - a JSON body is UTF-8 (bytes that are not are refused, never replaced);
 * - a JSON body is an object, never `null`, an array or a bare value;
 * - only plain integer literals count as numbers: `1e3`, `1.0`, `-0` and
 *   integers past 2^53 become text and fail the amount rule instead of
 *   silently becoming another amount;
 * - keys such as __proto__ and constructor are refused outright;
 * - no key or string, in the body or the query string, holds text
 *   PostgreSQL cannot store (U+0000, unpaired surrogates), which would
 *   otherwise fail its query as a 500.
 */
export default class StrictInputMiddleware {
  async handle({ request }: HttpContext, next: NextFn) {
    for (const [field, value] of Object.entries(request.qs())) {
      if (!isStorableText(field) || !storable(value))
        throw new ApiError('validation_failed', 'Some fields are not valid', {
          errors: [{ field, message: 'holds U+0000 or an unpaired surrogate' }],
        })
    }
    if (methods_with_bodies.has(request.method())) readBody(request)
    return next()
  }
}

function readBody(request: HttpContext['request']) {
  if (request.is(['application/json']) !== 'application/json') {
    // Not `request.hasBody()`: that counts `content-length: 0` as a body.
    const sent = Number(request.header('content-length') ?? 0) > 0
    if (sent || request.header('transfer-encoding')) throw new ApiError('unsupported_media_type')
    return
  }
  // The body parser read each byte as one Latin-1 character (config/bodyparser.ts).
  const raw = request.raw()
  if (!raw) return request.updateBody({})
  let body: unknown
  try {
    body = parseStrictJson(decodeJsonBody(Buffer.from(raw, 'latin1')))
  } catch (error) {
    throw new ApiError('invalid_json', (error as Error).message)
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError('invalid_json', 'The body must be a JSON object')
  request.updateBody(body as Record<string, unknown>)
}

/** Query-string values are text, or arrays and objects of it (`a[]=1&b[c]=2`). */
function storable(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value)
  if (value && typeof value === 'object')
    return Object.entries(value).every(([key, inner]) => isStorableText(key) && storable(inner))
  return true
}
