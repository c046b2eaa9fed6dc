import { batched_mode, per_transfer_mode, type WriterMode } from './engine/writer.ts'
import {
  amount_max_absolute,
  amount_max_default,
  idempotency_key_ttl_hours_min,
} from './domain/limits.ts'

export interface LedgerConfig {
  databaseUrl: string
  /** Accepted service tokens; two during a rotation. */
  apiTokens: string[]
  host: string
  port: number
  amountMax: number
  idempotencyTtlHours: number
  poolMax: number
  writerMode: WriterMode
  logLevel: string
}

/**
 * Read the configuration from the environment once, at boot, and refuse to
 * start with a clear message when something is missing or malformed.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const problems: string[] = []
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
      return fallback
    }
    return value
  }
  const databaseUrl = env.DATABASE_URL ?? ''
  if (!/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL')
  const apiTokens = (env.LEDGER_API_TOKENS ?? env.LEDGER_API_TOKEN ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  if (apiTokens.length === 0)
    problems.push('LEDGER_API_TOKEN (or LEDGER_API_TOKENS, comma-separated) must be set')
  for (const token of apiTokens) {
    if (token.length < 32) problems.push('every ledger API token must be at least 32 characters')
    // deploy/env.example's placeholder is long enough, and known to everyone.
    else if (token.startsWith('change-me'))
      problems.push('a ledger API token is still the placeholder from deploy/env.example')
  }
  const config: LedgerConfig = {
    databaseUrl,
    apiTokens,
    host: env.HOST ?? '127.0.0.1',
    port: integer('PORT', 4100, 0, 65535),
    amountMax: integer('LEDGER_AMOUNT_MAX', amount_max_default, 1, amount_max_absolute),
    idempotencyTtlHours: integer(
      'LEDGER_IDEMPOTENCY_TTL_HOURS',
      72,
      idempotency_key_ttl_hours_min,
      24 * 365
    ),
    poolMax: integer('LEDGER_DB_POOL_MAX', 10, 1, 200),
    writerMode: batched_mode,
    logLevel: env.LOG_LEVEL ?? 'info',
  }
  // per_transfer exists to measure the batching writer against; never run it for real.
  const mode = env.LEDGER_WRITER_MODE ?? 'batched'
  if (mode === 'per_transfer') config.writerMode = per_transfer_mode
  else if (mode !== 'batched')
    problems.push(`LEDGER_WRITER_MODE must be batched or per_transfer, got "${mode}"`)
  if (problems.length > 0) {
    throw new Error(`ledger-core cannot start:\n  - ${problems.join('\n  - ')}`)
  }
  return config
}
