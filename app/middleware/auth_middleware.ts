import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#exceptions/api_error'
import type { Scope } from '#identity/api_key_types'

/**
 * Requires a valid bearer credential (see BearerGuard). A person's access
 * token may do whatever the person may; an API key only what the route's
 * scope names and the key holds. A route without a scope takes no keys at
 * all (signing out, managing keys, every staff route); `any` takes every key
 * (who am I).
 */
export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { scope?: Scope | 'any' } = {}) {
    await ctx.auth.authenticateUsing(['bearer'])
    const key = ctx.auth.use('bearer').apiKey
    if (key && options.scope !== 'any') {
      if (!options.scope)
        throw new ApiError(
          'insufficient_scope',
          'API keys cannot be used here: sign in as the person'
        )
      if (!key.scopes.includes(options.scope))
        throw new ApiError('insufficient_scope', `This API key lacks the ${options.scope} scope`)
    }
    return next()
  }
}
