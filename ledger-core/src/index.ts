/** ledger-core as a library: embed the Ledger in-process or run its HTTP server. */
export { Ledger, type LedgerOptions, type Replayable } from './engine/ledger.ts'
export type { WriteResult } from './engine/writer.ts'
export type { WireAccount, WireEntry, WireTransfer } from './engine/wire.ts'
export { buildServer, type ServerOptions } from './http/server.ts'
export { migrate } from './store/migrator.ts'
export { configFromEnv, type LedgerConfig } from './config.ts'
export { LedgerError, error_catalogue, type ErrorCode } from './domain/errors.ts'
export { decodeJsonBody, isStorableText, parseStrictJson } from './http/problem.ts'
export { isAcceptableRequestId } from './http/request_id.ts'
export {
  database_connect_timeout_ms,
  database_query_timeout_ms,
  databaseUnreachable,
  isConnectionError,
} from './store/connection_errors.ts'
export { currencyExponent, isKnownCurrency } from './domain/currency.ts'
export { createLedgerMetrics, type LedgerMetrics } from './metrics.ts'
export * as limits from './domain/limits.ts'
