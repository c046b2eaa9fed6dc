/**
 * The console (/admin), the web wallet (/app) and the API docs (/docs) are
 * pages served from here: their scripts and styles come from this origin
 * (never inline script, never eval; MUI and Swagger UI write inline styles),
 * and they talk only to this API.
 */
const page_csp = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

const pages = /^\/(admin|app|docs)(\/|$)/

/** JSON answers never need to load anything. */
const api_csp = "default-src 'none'; frame-ancestors 'none'"

/** The headers every answer carries, errors included, for a request to `path`. */
export function securityHeaders(path: string, production: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': pages.test(path) ? page_csp : api_csp,
    ...(production ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  }
}
