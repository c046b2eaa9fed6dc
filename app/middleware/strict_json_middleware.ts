import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { parseStrictJson } from '@purse/ledger-core'
import { ApiError } from '#exceptions/api_error'

/**
 * Re-read JSON bodies so that only plain integer literals count as numbers:
 * `1e3`, `1.0`, `-0` and integers past 2^53 become text and fail the amount
 * rule instead of silently becoming another amount. Keys such as __proto__
 * and constructor are refused outright.
 */
export default class StrictJsonMiddleware {
  async handle({ request }: HttpContext, next: NextFn) {
    const raw = request.raw()
    if (raw && request.is(['json']) === 'json') {
      try {
        request.updateBody(parseStrictJson(raw) as Record<string, unknown>)
      } catch (error) {
        throw new ApiError('invalid_json', (error as Error).message)
      }
    }
    return next()
  }
}
