import type pg from 'pg'
import { LedgerError } from '../domain/errors.ts'
import { releaseAfterFailure, scan } from './connection_errors.ts'

export interface StoredResult {
  status: number
  body: any
  replayed: boolean
}

/**
 * Idempotency for the calls that do not go through the writer (accounts).
 * The key is claimed first; a concurrent call with the same key waits for
 * the first to commit and then replays its response.
 */
export async function withStoredResponse(
  pool: pg.Pool,
  key: string,
  hash: string,
  run: (client: pg.PoolClient) => Promise<{ status: number; body: any }>
): Promise<StoredResult> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const claimed = await client.query(
      `INSERT INTO ledger.idempotency_keys (key, request_hash, status_code, response)
       VALUES ($1, $2, 0, 'null') ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, hash]
    )
    if (claimed.rowCount === 0) {
      await client.query('ROLLBACK')
      const stored = await client.query(
        'SELECT request_hash, status_code, response FROM ledger.idempotency_keys WHERE key = $1',
        [key]
      )
      const row = stored.rows[0]
      if (row.request_hash !== hash) {
        throw new LedgerError(
          'idempotency_key_reused',
          'this idempotency key was used for a different request'
        )
      }
      client.release()
      return { status: row.status_code, body: row.response, replayed: true }
    }
    const result = await run(client)
    await client.query(
      'UPDATE ledger.idempotency_keys SET status_code = $2, response = $3 WHERE key = $1',
      [key, result.status, JSON.stringify(result.body)]
    )
    await client.query('COMMIT')
    client.release()
    return { ...result, replayed: false }
  } catch (error) {
    await releaseAfterFailure(client, error)
    throw error
  }
}

/** Forget responses older than the retention; keys are kept at least 24 hours. */
export async function purgeStoredResponses(pool: pg.Pool, ttlHours: number): Promise<number> {
  const result = await pool.query(
    scan(
      `DELETE FROM ledger.idempotency_keys WHERE created_at < clock_timestamp() - make_interval(hours => $1)`,
      [ttlHours]
    )
  )
  return result.rowCount ?? 0
}
