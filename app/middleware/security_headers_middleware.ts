import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { securityHeaders } from '#platform/security_headers'

/** Headers every answer carries, errors included. */
export default class SecurityHeadersMiddleware {
  async handle({ request, response }: HttpContext, next: NextFn) {
    response.header('X-Request-Id', request.id() ?? '')
    for (const [name, value] of Object.entries(securityHeaders(request.url(), app.inProduction)))
      response.header(name, value)
    return next()
  }
}
