import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#exceptions/api_error'
import User, { type Role } from '#models/user'

/**
 * Server-side role check for every admin route; runs after auth. The role is
 * read fresh from the database (the guard may hold a row a second old), so a
 * demotion takes effect on the next request.
 */
export default class RoleMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { roles: Role[] }) {
    const user = await User.find(ctx.auth.getUserOrFail().id)
    if (!user || !options.roles.includes(user.role)) throw new ApiError('forbidden')
    return next()
  }
}
