import { randomBytes } from 'node:crypto'
import { Env } from '@adonisjs/core/env'

/**
 * Every environment variable the app reads, validated at boot: a missing or
 * malformed one stops the process with a message naming it. Outside
 * production, secrets default to random values for this process only.
 */
const ephemeral = () => randomBytes(32).toString('base64url')
if (process.env.NODE_ENV !== 'production') {
  process.env.APP_KEY ??= ephemeral()
  process.env.JWT_SECRET ??= ephemeral()
}

/** The shortest signing key or bearer token the app accepts. */
const secret_length_min = 32

/**
 * A signing key or bearer token long enough not to be guessed, and not the
 * placeholder from deploy/env.example. An HS256 key shorter than its hash can
 * be brute-forced offline from any token it signed (RFC 7518 §3.2).
 */
function strongSecret(key: string, value?: string) {
  const secret = Env.schema.secret()(key, value)
  if (secret.release().length < secret_length_min)
    throw new Error(`${key} must be at least ${secret_length_min} characters`)
  if (secret.release().startsWith('change-me'))
    throw new Error(`${key} is still the placeholder from deploy/env.example`)
  return secret
}
strongSecret.optional = (key: string, value?: string) =>
  value ? strongSecret(key, value) : undefined

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  APP_KEY: strongSecret,
  APP_URL: Env.schema.string.optional(),

  DATABASE_URL: Env.schema.string(),
  DATABASE_POOL_MAX: Env.schema.number.optional(),
  REDIS_URL: Env.schema.string.optional(),

  /** HS256 keys, newest first; two during a rotation. */
  JWT_SECRET: strongSecret,
  JWT_PREVIOUS_SECRET: strongSecret.optional,
  JWT_ISSUER: Env.schema.string.optional(),
  JWT_AUDIENCE: Env.schema.string.optional(),
  ACCESS_TOKEN_TTL_MINUTES: Env.schema.number.optional(),
  REFRESH_TOKEN_TTL_DAYS: Env.schema.number.optional(),

  /** Unset: ledger-core runs inside this process. */
  LEDGER_URL: Env.schema.string.optional(),
  LEDGER_API_TOKEN: Env.schema.secret.optional(),

  SANDBOX_DEPOSITS: Env.schema.boolean.optional(),
  CORS_ORIGINS: Env.schema.string.optional(),
  /** How often payments with an unknown outcome are looked at again (ms). */
  PAYMENT_FOLLOW_UP_MS: Env.schema.number.optional(),
  RATE_LIMIT_IP_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_TRANSFERS_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_AUTH_PER_MINUTE: Env.schema.number.optional(),
  METRICS_TOKEN: strongSecret.optional,

  /** Traces are exported over OTLP only when an endpoint is set (off by default). */
  OTEL_EXPORTER_OTLP_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  OTEL_SERVICE_NAME: Env.schema.string.optional(),
  OTEL_TRACES_SAMPLER_RATIO: Env.schema.number.optional(),
  APP_VERSION: Env.schema.string.optional(),
})
