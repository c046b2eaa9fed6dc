import env from '#start/env'
import { defineConfig } from '@adonisjs/cors'

/** Only the origins in CORS_ORIGINS (comma-separated); the console is served same-origin. */
const origins = (env.get('CORS_ORIGINS') ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean)

export default defineConfig({
  enabled: true,
  origin: origins.length > 0 ? origins : false,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'],
  headers: true,
  exposeHeaders: ['x-request-id', 'idempotent-replayed', 'retry-after'],
  credentials: false,
  maxAge: 90,
})
