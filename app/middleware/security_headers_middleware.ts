import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * The console (/admin) and the API docs (/docs) are pages served from here:
 * their scripts and styles come from this origin (MUI and Swagger UI write
 * inline styles), and they talk only to this API.
 */
const page_csp = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

const pages = /^\/(admin|docs)(\/|$)/

/** JSON answers never need to load anything. */
const api_csp = "default-src 'none'; frame-ancestors 'none'"

/** Headers every answer carries, errors included. */
export default class SecurityHeadersMiddleware {
  async handle({ request, response }: HttpContext, next: NextFn) {
    response.header('X-Request-Id', request.id() ?? '')
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('X-Frame-Options', 'DENY')
    response.header('Referrer-Policy', 'no-referrer')
    response.header('Cache-Control', 'no-store')
    response.header('Content-Security-Policy', pages.test(request.url()) ? page_csp : api_csp)
    if (app.inProduction)
      response.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains')
    return next()
  }
}
