import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

/** Errors of every kind become problem+json in one place. */
server.errorHandler(() => import('#exceptions/handler'))

/** On every request, even one no route matches. */
server.use([
  () => import('#middleware/security_headers_middleware'),
  () => import('#middleware/metrics_middleware'),
  () => import('@adonisjs/cors/cors_middleware'),
  // The console's build under /admin, the web wallet's under /app (nothing else from public/).
  () => import('#middleware/page_files_middleware'),
])

/** On every request a route matches. */
router.use([
  () => import('@adonisjs/otel/otel_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#middleware/strict_input_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
])

export const middleware = router.named({
  auth: () => import('#middleware/auth_middleware'),
  role: () => import('#middleware/role_middleware'),
  throttle: () => import('#middleware/throttle_middleware'),
})
