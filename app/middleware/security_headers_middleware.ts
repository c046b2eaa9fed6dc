import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Headers every answer carries, errors included. */
export default class SecurityHeadersMiddleware {
  async handle({ request, response }: HttpContext, next: NextFn) {
    response.header('X-Request-Id', request.id() ?? '')
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('X-Frame-Options', 'DENY')
    response.header('Referrer-Policy', 'no-referrer')
    response.header('Cache-Control', 'no-store')
    if (app.inProduction)
      response.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains')
    return next()
  }
}
