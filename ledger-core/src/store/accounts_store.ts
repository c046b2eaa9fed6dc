import type pg from 'pg'
import { v7 as uuidv7 } from 'uuid'
import { LedgerError } from '../domain/errors.ts'
import type { Account, AccountKind, AccountStatus, Metadata } from '../domain/types.ts'
import { account_columns, decodeCursor, page, toAccount, toSafeInteger } from './rows.ts'

/** A pool or one of its clients inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>

export interface EnsureAccount {
  owner_ref: string
  currency: string
  kind: AccountKind
  allow_negative: boolean
  metadata: Metadata
}

export interface AccountFilter {
  owner_ref?: string
  currency?: string
  status?: AccountStatus
  limit: number
  cursor?: string
}

/** Accounts outside the transfer path: creation, lookup, freezing, history of balances. */
export class AccountsStore {
  private readonly pool: Queryable

  constructor(pool: Queryable) {
    this.pool = pool
  }

  /** Create the account or return the one that exists; `created` says which. */
  async ensure(input: EnsureAccount): Promise<{ account: Account; created: boolean }> {
    const inserted = await this.pool.query(
      `INSERT INTO ledger.accounts (id, owner_ref, currency, kind, allow_negative, metadata)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (owner_ref, currency) DO NOTHING
       RETURNING ${account_columns}`,
      [uuidv7(), input.owner_ref, input.currency, input.kind, input.allow_negative, input.metadata]
    )
    if (inserted.rowCount === 1) return { account: toAccount(inserted.rows[0]), created: true }
    const existing = await this.pool.query(
      `SELECT ${account_columns} FROM ledger.accounts WHERE owner_ref = $1 AND currency = $2`,
      [input.owner_ref, input.currency]
    )
    return { account: toAccount(existing.rows[0]), created: false }
  }

  async get(id: string): Promise<Account> {
    const result = await this.pool.query(
      `SELECT ${account_columns} FROM ledger.accounts WHERE id = $1`,
      [id]
    )
    if (result.rowCount === 0)
      throw new LedgerError('account_not_found', `account ${id} does not exist`)
    return toAccount(result.rows[0])
  }

  async list(filter: AccountFilter) {
    const after = decodeCursor(filter.cursor)
    const result = await this.pool.query(
      `SELECT ${account_columns}, seq FROM ledger.accounts
       WHERE ($1::text IS NULL OR owner_ref = $1)
         AND ($2::text IS NULL OR currency = $2)
         AND ($3::text IS NULL OR status = $3)
         AND ($4::bigint IS NULL OR seq < $4)
       ORDER BY seq DESC LIMIT $5`,
      [
        filter.owner_ref ?? null,
        filter.currency ?? null,
        filter.status ?? null,
        after,
        filter.limit + 1,
      ]
    )
    return page(result.rows, filter.limit, toAccount, (row) => row.seq)
  }

  /**
   * Freezing waits for the row lock a running batch holds, so it lands
   * between batches and never undoes one.
   */
  async setStatus(id: string, status: 'active' | 'frozen'): Promise<Account> {
    const result = await this.pool.query(
      `UPDATE ledger.accounts
       SET status = $2,
           version = version + CASE WHEN status = $2 THEN 0 ELSE 1 END,
           updated_at = CASE WHEN status = $2 THEN updated_at ELSE clock_timestamp() END
       WHERE id = $1 AND status <> 'closed'
       RETURNING ${account_columns}`,
      [id, status]
    )
    if (result.rowCount === 1) return toAccount(result.rows[0])
    const account = await this.get(id)
    throw new LedgerError('invalid_state', `account ${account.id} is ${account.status}`)
  }

  /** The balance after the last entry at or before `asOf` (0 before the first). */
  async balanceAsOf(id: string, asOf: Date): Promise<number> {
    const result = await this.pool.query(
      `SELECT balance_after FROM ledger.entries
       WHERE account_id = $1 AND created_at <= $2
       ORDER BY id DESC LIMIT 1`,
      [id, asOf]
    )
    return result.rowCount === 0 ? 0 : toSafeInteger(result.rows[0].balance_after)
  }
}
