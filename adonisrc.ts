import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  commands: [() => import('@adonisjs/core/commands'), () => import('@adonisjs/lucid/commands')],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    { file: () => import('@adonisjs/core/providers/repl_provider'), environment: ['repl', 'test'] },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/cors/cors_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/static/static_provider'),
    () => import('#providers/ledger_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('#providers/mail_provider'),
    () => import('#providers/claims_provider'),
    () => import('@adonisjs/otel/otel_provider'),
  ],

  preloads: [() => import('#start/routes'), () => import('#start/kernel')],

  tests: {
    suites: [
      { files: ['tests/unit/**/*.spec.{ts,js}'], name: 'unit', timeout: 2000 },
      { files: ['tests/functional/**/*.spec.{ts,js}'], name: 'functional', timeout: 30000 },
      { files: ['tests/e2e/**/*.spec.{ts,js}'], name: 'e2e', timeout: 120000 },
    ],
    forceExit: false,
  },

  metaFiles: [
    { pattern: 'openapi/**/*', reloadServer: false },
    { pattern: 'sdk/README.md', reloadServer: false },
    { pattern: 'public/**', reloadServer: false },
  ],
})
