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

/** The longest an access token may live, whatever a replica is configured with. */
export const access_token_ttl_minutes_max = 60

/** An optional whole number within [min, max]; anything else stops the boot, naming the variable. */
function integerWithin(min: number, max: number) {
  return (key: string, value?: string) => {
    if (value === undefined || value === '') return undefined
    const number = Number(value)
    if (!/^\d+$/.test(value) || number < min || number > max)
      throw new Error(`${key} must be a whole number from ${min} to ${max}, got "${value}"`)
    return number
  }
}

/** An optional fraction from 0 to 1. */
function ratio(key: string, value?: string) {
  if (value === undefined || value === '') return undefined
  const number = Number(value)
  if (!(number >= 0 && number <= 1)) throw new Error(`${key} must be from 0 to 1, got "${value}"`)
  return number
}

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
  /** Where mailed links lead; APP_URL/app when unset. */
  WALLET_URL: Env.schema.string.optional(),

  DATABASE_URL: Env.schema.string(),
  DATABASE_POOL_MAX: integerWithin(1, 200),
  REDIS_URL: Env.schema.string.optional(),

  /** HS256 keys, newest first; two during a rotation. */
  JWT_SECRET: strongSecret,
  JWT_PREVIOUS_SECRET: strongSecret.optional,
  JWT_ISSUER: Env.schema.string.optional(),
  JWT_AUDIENCE: Env.schema.string.optional(),
  /** Up to an hour; shorter is stricter (browsers refresh silently), and the wallet's tests run at 1. */
  ACCESS_TOKEN_TTL_MINUTES: integerWithin(1, access_token_ttl_minutes_max),
  REFRESH_TOKEN_TTL_DAYS: integerWithin(1, 90),

  /** Unset: ledger-core runs inside this process. */
  LEDGER_URL: Env.schema.string.optional(),
  LEDGER_API_TOKEN: Env.schema.secret.optional(),

  SANDBOX_DEPOSITS: Env.schema.boolean.optional(),
  /** Per-person payment limits (config/limits.ts); on unless false. */
  PAYMENT_LIMITS: Env.schema.boolean.optional(),
  PAYMENT_REQUEST_DAYS: integerWithin(1, 365),
  /** Claimable sends wait this long; at most 30 (ledger-core's longest hold). */
  CLAIM_DAYS: integerWithin(1, 30),
  /** Like STEP_UP_THRESHOLDS: staff money above these waits for a second admin. */
  STAFF_APPROVAL_THRESHOLDS: Env.schema.string.optional(),
  STAFF_PROPOSAL_HOURS: integerWithin(1, 720),
  PAYMENT_REQUESTS_PER_DAY: integerWithin(1, 10_000),
  /** Per currency, the largest payment without a fresh second factor: USD:100000,JPY:150000. */
  STEP_UP_THRESHOLDS: Env.schema.string.optional(),
  /** Passkeys: the domain they belong to and the origins pages ask from; WALLET_URL's by default. */
  WEBAUTHN_RP_ID: Env.schema.string.optional(),
  WEBAUTHN_ORIGINS: Env.schema.string.optional(),
  REQUIRE_VERIFIED_EMAIL: Env.schema.boolean.optional(),
  /** smtp://user:password@host:587 or smtps://…:465; the dev catcher by default. */
  SMTP_URL: Env.schema.string.optional(),
  MAIL_FROM: Env.schema.string.optional(),
  /** false only to measure the outbox's cost (bench); ignored in production. */
  EVENTS_OUTBOX: Env.schema.boolean.optional(),
  EVENT_STREAM_HEARTBEAT_MS: integerWithin(100, 600_000),
  /** Webhooks to http://127.0.0.1 for development and tests; never in production. */
  WEBHOOKS_ALLOW_LOCAL: Env.schema.boolean.optional(),
  WEBHOOK_RETRY_BASE_MS: integerWithin(10, 86_400_000),
  WEBHOOK_RETRY_CAP_MS: integerWithin(10, 86_400_000),
  WEBHOOK_RETRY_FOR_MS: integerWithin(100, 30 * 86_400_000),
  WEBHOOK_LEASE_MS: integerWithin(1_000, 3_600_000),
  WEBHOOK_SECRET_OVERLAP_MS: integerWithin(0, 30 * 86_400_000),
  WEBHOOK_CONCURRENCY: integerWithin(1, 256),
  /** Comma-separated ISO 4217 codes; USD,EUR,GBP,JPY when unset. */
  SUPPORTED_CURRENCIES: Env.schema.string.optional(),
  /** Minor units; 100000000 when unset. */
  TRANSFER_AMOUNT_MAX: integerWithin(1, Number.MAX_SAFE_INTEGER),
  CORS_ORIGINS: Env.schema.string.optional(),
  /** How often payments with an unknown outcome are looked at again (ms). */
  PAYMENT_FOLLOW_UP_MS: integerWithin(100, 3_600_000),
  RATE_LIMIT_IP_PER_MINUTE: integerWithin(1, 1_000_000_000),
  RATE_LIMIT_TRANSFERS_PER_MINUTE: integerWithin(1, 1_000_000_000),
  RATE_LIMIT_AUTH_PER_MINUTE: integerWithin(1, 1_000_000_000),
  METRICS_TOKEN: strongSecret.optional,

  /** Traces are exported over OTLP only when an endpoint is set (off by default). */
  OTEL_EXPORTER_OTLP_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  OTEL_SERVICE_NAME: Env.schema.string.optional(),
  OTEL_TRACES_SAMPLER_RATIO: ratio,
  APP_VERSION: Env.schema.string.optional(),
})
