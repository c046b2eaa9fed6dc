import type pg from 'pg'
import { LedgerError } from '../domain/errors.ts'
import type { Entry, Transfer } from '../domain/types.ts'
import { decodeCursor, entry_columns, page, toEntry, toTransfer, transfer_columns } from './rows.ts'

export interface EntryFilter {
  limit: number
  cursor?: string
  from?: Date
  to?: Date
}

/** Reads of transfers and entries. Writes happen only in the writer. */
export class TransfersStore {
  private readonly pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.pool = pool
  }

  async get(id: string): Promise<Transfer> {
    const result = await this.pool.query(
      `SELECT ${transfer_columns} FROM ledger.transfers WHERE id = $1`,
      [id]
    )
    if (result.rowCount === 0)
      throw new LedgerError('transfer_not_found', `transfer ${id} does not exist`)
    return toTransfer(result.rows[0])
  }

  /** Newest first; two index range scans merged, so cost follows the page, not the history. */
  async listByAccount(accountId: string, limit: number, cursor?: string) {
    const before = decodeCursor(cursor)
    const result = await this.pool.query(
      `SELECT ${transfer_columns}, seq FROM (
         (SELECT * FROM ledger.transfers WHERE debit_account_id = $1 AND ($2::bigint IS NULL OR seq < $2)
          ORDER BY seq DESC LIMIT $3)
         UNION ALL
         (SELECT * FROM ledger.transfers WHERE credit_account_id = $1 AND ($2::bigint IS NULL OR seq < $2)
          ORDER BY seq DESC LIMIT $3)
       ) t ORDER BY seq DESC LIMIT $3`,
      [accountId, before, limit + 1]
    )
    return page(result.rows, limit, toTransfer, (row) => row.seq)
  }

  async entriesByAccount(accountId: string, filter: EntryFilter) {
    const before = decodeCursor(filter.cursor)
    const result = await this.pool.query(
      `SELECT ${entry_columns} FROM ledger.entries
       WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2)
         AND ($3::timestamptz IS NULL OR created_at >= $3)
         AND ($4::timestamptz IS NULL OR created_at < $4)
       ORDER BY id DESC LIMIT $5`,
      [accountId, before, filter.from ?? null, filter.to ?? null, filter.limit + 1]
    )
    return page(result.rows, filter.limit, toEntry, (row) => row.id)
  }

  async entriesByTransfer(transferId: string): Promise<Entry[]> {
    await this.get(transferId)
    const result = await this.pool.query(
      `SELECT ${entry_columns} FROM ledger.entries WHERE transfer_id = $1 ORDER BY id`,
      [transferId]
    )
    return result.rows.map(toEntry)
  }

  /** Pending transfers whose time is up, for the expiry sweeper. */
  async expiredPendingIds(limit: number): Promise<string[]> {
    const result = await this.pool.query(
      `SELECT id FROM ledger.transfers
       WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= clock_timestamp()
       ORDER BY expires_at LIMIT $1`,
      [limit]
    )
    return result.rows.map((row) => row.id)
  }
}
