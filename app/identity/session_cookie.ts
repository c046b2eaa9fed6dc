import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import corsConfig from '#config/cors'
import jwtConfig from '#config/jwt'
import { ApiError } from '#exceptions/api_error'

/**
 * The refresh token for browsers, in a cookie page scripts cannot read.
 *
 * A browser app (the web wallet) asks for it with `Purse-Session: cookie` on
 * sign-up, sign-in, refresh and sign-out: the refresh token then travels
 * only in an HttpOnly, SameSite=Strict cookie scoped to the auth routes
 * (Secure over https), and the answers carry no refresh token. A script
 * injected into the page can neither read it nor send it from another site.
 * Refresh and sign-out with the cookie also require the custom header (a
 * form on another site cannot send one) and an Origin that is this API's
 * own or one of CORS_ORIGINS.
 */
export const refresh_cookie = 'purse_refresh'
const cookie_path = '/api/v1/auth'

export function wantsCookie(request: HttpContext['request']): boolean {
  return request.header('purse-session') === 'cookie'
}

/** The cookie transport is for pages of this API's origin (or a listed one), never another site's. */
export function requireOwnOrigin(request: HttpContext['request']) {
  const origin = request.header('origin')
  const allowed = Array.isArray(corsConfig.origin) ? corsConfig.origin : []
  let host: string | undefined
  try {
    host = origin ? new URL(origin).host : undefined
  } catch {}
  if (!origin || (host !== request.host() && !allowed.includes(origin)))
    throw new ApiError('forbidden', 'A cookie session is used only from the pages of this service')
}

export function setRefreshCookie(ctx: HttpContext, token: string) {
  ctx.response.plainCookie(refresh_cookie, token, {
    encode: false,
    httpOnly: true,
    sameSite: 'strict',
    secure: app.inProduction || ctx.request.secure(),
    path: cookie_path,
    maxAge: jwtConfig.refreshTokenTtlDays * 24 * 60 * 60,
  })
}

export function clearRefreshCookie(ctx: HttpContext) {
  ctx.response.clearCookie(refresh_cookie, {
    path: cookie_path,
    httpOnly: true,
    sameSite: 'strict',
  })
}

/** The refresh token the cookie holds; a missing one is the same 401 as a wrong one. */
export function refreshFromCookie(request: HttpContext['request']): string {
  const token = request.plainCookie(refresh_cookie, { encoded: false })
  if (typeof token !== 'string' || token.length === 0 || token.length > 200)
    throw new ApiError('invalid_refresh_token', 'There is no session cookie: sign in again')
  return token
}
