import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { parseStrictJson } from '@purse/ledger-core'
import { ApiError } from '#exceptions/api_error'

const methods_with_bodies = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The one place that decides what a request body may be (the body parser
 * reads JSON only, with `strict: false`, and leaves the rest to this):
 * - JSON (`application/json`) or nothing: any other type is 415, unread;
 * - an object, never `null`, an array or a bare value;
 * - only plain integer literals count as numbers: `1e3`, `1.0`, `-0` and
 *   integers past 2^53 become text and fail the amount rule instead of
 *   silently becoming another amount;
 * - keys such as __proto__ and constructor are refused outright.
 */
export default class StrictJsonMiddleware {
  async handle({ request }: HttpContext, next: NextFn) {
    if (!methods_with_bodies.has(request.method())) return next()
    if (request.is(['application/json']) !== 'application/json') {
      // Not `request.hasBody()`: that counts `content-length: 0` as a body.
      const sent = Number(request.header('content-length') ?? 0) > 0
      if (sent || request.header('transfer-encoding')) throw new ApiError('unsupported_media_type')
      return next()
    }
    const raw = request.raw()
    if (!raw) {
      request.updateBody({})
      return next()
    }
    let body: unknown
    try {
      body = parseStrictJson(raw)
    } catch (error) {
      throw new ApiError('invalid_json', (error as Error).message)
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new ApiError('invalid_json', 'The body must be a JSON object')
    request.updateBody(body as Record<string, unknown>)
    return next()
  }
}
