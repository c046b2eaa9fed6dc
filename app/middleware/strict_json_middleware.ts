import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { parseStrictJson } from '@purse/ledger-core'
import { ApiError } from '#exceptions/api_error'

/**
 * The one place that decides what a JSON body may be (the body parser runs
 * with `strict: false` and leaves it to this):
 * - an object, never `null`, an array or a bare value;
 * - only plain integer literals count as numbers: `1e3`, `1.0`, `-0` and
 *   integers past 2^53 become text and fail the amount rule instead of
 *   silently becoming another amount;
 * - keys such as __proto__ and constructor are refused outright.
 */
export default class StrictJsonMiddleware {
  async handle({ request }: HttpContext, next: NextFn) {
    if (request.is(['json']) !== 'json') return next()
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
