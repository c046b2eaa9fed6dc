import type pg from 'pg'
import { LedgerError } from '../domain/errors.ts'

/** How long opening a database connection may take before it counts as an outage. */
export const database_connect_timeout_ms = 5_000

/**
 * How long a query may go unanswered before its connection counts as lost.
 * Every query a request makes takes milliseconds; a database that stops
 * answering while keeping its connections open (a frozen host, a stalled
 * disk, a network path that drops packets without resetting) would
 * otherwise hold every request forever. The query may still run once the
 * database wakes: callers treat the outcome as unknown (retry with the same
 * key), and the connection is closed rather than reused.
 */
export const database_query_timeout_ms = 5_000

/** The same for full scans and clean-ups, which may take long on a large ledger. */
export const database_scan_timeout_ms = 300_000

/** A full scan or clean-up: a query with the longer limit (node-postgres reads it per query). */
export function scan(text: string, values?: unknown[]): pg.QueryConfig {
  const config: pg.QueryConfig & { query_timeout: number } = {
    text,
    values,
    query_timeout: database_scan_timeout_ms,
  }
  return config
}

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
  return /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|not queryable|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout/i.test(
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

/**
 * Hand a pooled client back after `error`: its transaction is rolled back,
 * and a connection that failed (or did not answer) is closed instead of
 * going back to the pool, where the next caller would queue behind it.
 */
export async function releaseAfterFailure(client: pg.PoolClient, error: unknown) {
  const broken =
    isConnectionError(error) ||
    (await client.query('ROLLBACK').then(
      () => false,
      () => true
    ))
  client.release(broken ? (error as Error) : undefined)
}
