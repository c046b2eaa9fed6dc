import { LedgerError } from '../domain/errors.ts'

/** How long opening a database connection may take before it counts as an outage. */
export const database_connect_timeout_ms = 5_000

/**
 * Whether an error means the database could not be reached, as opposed to a
 * query it refused: a connection exception (SQLSTATE class 08), an operator
 * intervention such as a shutdown (57P), a refused, reset or timed-out
 * socket, or a client or pool that gave up on its connection. Such a
 * request may be retried once the database is back.
 */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (
    typeof code === 'string' &&
    /^(08|57P|ECONNREFUSED$|ECONNRESET$|EPIPE$|ETIMEDOUT$)/.test(code)
  )
    return true
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|not queryable|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    message
  )
}

/** What a caller is told when the database could not be reached: retry shortly. */
export function databaseUnreachable(): LedgerError {
  return new LedgerError(
    'service_unavailable',
    'the ledger cannot reach its database; retry shortly (with the same key)'
  )
}
