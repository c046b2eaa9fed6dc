import type pg from 'pg'
import type { Book } from '../domain/book.ts'
import type { AccountState, Transfer } from '../domain/types.ts'
import { invariant } from '../domain/errors.ts'
import { toAccountState, toTransfer, transfer_columns } from './rows.ts'

export interface StoredResponse {
  key: string
  request_hash: string
  status_code: number
  response: any
}

/**
 * The SQL of one writer batch: read stored responses, lock what the batch
 * touches in a fixed order (transfers by id, then accounts by id, so writers
 * in any number of processes never deadlock), and write every change in one
 * statement. Five round trips per batch, whatever its size.
 */
export class WriterStore {
  private readonly client: pg.ClientBase

  constructor(client: pg.ClientBase) {
    this.client = client
  }

  async findResponses(keys: string[]): Promise<Map<string, StoredResponse>> {
    if (keys.length === 0) return new Map()
    const result = await this.client.query(
      'SELECT key, request_hash, status_code, response FROM ledger.idempotency_keys WHERE key = ANY($1::text[])',
      [keys]
    )
    return new Map(result.rows.map((row) => [row.key, row]))
  }

  async lockTransfers(ids: string[]): Promise<Transfer[]> {
    if (ids.length === 0) return []
    const result = await this.client.query(
      `SELECT ${transfer_columns} FROM ledger.transfers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids]
    )
    return result.rows.map(toTransfer)
  }

  /**
   * Lock the accounts in id order and read the clock once every lock is held:
   * the last row's time is after all of them, so entry times never run
   * backwards for an account even across processes.
   */
  async lockAccounts(ids: string[]): Promise<{ accounts: AccountState[]; now: Date }> {
    const result = await this.client.query(
      `SELECT date_trunc('milliseconds', clock_timestamp()) AS now, a.* FROM (
         SELECT id, currency, kind, status, balance, pending_debits, allow_negative, version
         FROM ledger.accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
       ) a`,
      [ids]
    )
    if (result.rowCount === 0) {
      const clock = await this.client.query(
        `SELECT date_trunc('milliseconds', clock_timestamp()) AS now`
      )
      return { accounts: [], now: clock.rows[0].now }
    }
    return {
      accounts: result.rows.map(toAccountState),
      now: result.rows[result.rows.length - 1].now,
    }
  }

  async write(book: Book, responses: StoredResponse[]): Promise<void> {
    const created = book.created
    const updated = book.updatedTransfers()
    const entries = book.entries
    const accounts = book.changedAccountStates()
    if (created.length + updated.length + entries.length + accounts.length + responses.length === 0)
      return
    // Keys are inserted in sorted order so that two processes racing on the
    // same keys wait on each other instead of deadlocking.
    const sortedResponses = [...responses].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0
    )
    const result = await this.client.query(
      `WITH
       new_transfers AS (
         INSERT INTO ledger.transfers (id, debit_account_id, credit_account_id, currency, amount, posted_amount,
           reversed_amount, status, description, metadata, reversal_of, idempotency_key, expires_at,
           created_at, posted_at, updated_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::bigint[],
           $7::bigint[], $8::text[], $9::text[], $10::jsonb[], $11::uuid[], $12::text[], $13::timestamptz[],
           $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])
         RETURNING 1
       ),
       changed_transfers AS (
         UPDATE ledger.transfers t
         SET status = u.status, posted_amount = u.posted_amount, reversed_amount = u.reversed_amount,
             posted_at = u.posted_at, updated_at = u.updated_at
         FROM unnest($17::uuid[], $18::text[], $19::bigint[], $20::bigint[], $21::timestamptz[], $22::timestamptz[])
           AS u(id, status, posted_amount, reversed_amount, posted_at, updated_at)
         WHERE t.id = u.id
         RETURNING 1
       ),
       new_entries AS (
         INSERT INTO ledger.entries (transfer_id, account_id, direction, amount, balance_after, account_version, created_at)
         SELECT * FROM unnest($23::uuid[], $24::uuid[], $25::text[], $26::bigint[], $27::bigint[], $28::bigint[],
           $29::timestamptz[])
         RETURNING 1
       ),
       changed_accounts AS (
         UPDATE ledger.accounts a
         SET balance = u.balance, pending_debits = u.pending_debits, version = u.version, updated_at = $30
         FROM unnest($31::uuid[], $32::bigint[], $33::bigint[], $34::bigint[]) AS u(id, balance, pending_debits, version)
         WHERE a.id = u.id
         RETURNING 1
       ),
       new_responses AS (
         INSERT INTO ledger.idempotency_keys (key, request_hash, status_code, response)
         SELECT * FROM unnest($35::text[], $36::text[], $37::smallint[], $38::json[])
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM new_transfers) AS transfers,
              (SELECT count(*) FROM changed_transfers) AS changed,
              (SELECT count(*) FROM new_entries) AS entries,
              (SELECT count(*) FROM changed_accounts) AS accounts,
              (SELECT count(*) FROM new_responses) AS responses`,
      [
        created.map((t) => t.id),
        created.map((t) => t.debit_account_id),
        created.map((t) => t.credit_account_id),
        created.map((t) => t.currency),
        created.map((t) => t.amount),
        created.map((t) => t.posted_amount),
        created.map((t) => t.reversed_amount),
        created.map((t) => t.status),
        created.map((t) => t.description),
        created.map((t) => JSON.stringify(t.metadata)),
        created.map((t) => t.reversal_of),
        created.map((t) => t.idempotency_key),
        created.map((t) => t.expires_at),
        created.map((t) => t.created_at),
        created.map((t) => t.posted_at),
        created.map((t) => t.updated_at),
        updated.map((t) => t.id),
        updated.map((t) => t.status),
        updated.map((t) => t.posted_amount),
        updated.map((t) => t.reversed_amount),
        updated.map((t) => t.posted_at),
        updated.map((t) => t.updated_at),
        entries.map((e) => e.transfer_id),
        entries.map((e) => e.account_id),
        entries.map((e) => e.direction),
        entries.map((e) => e.amount),
        entries.map((e) => e.balance_after),
        entries.map((e) => e.account_version),
        entries.map((e) => e.created_at),
        book.now,
        accounts.map((a) => a.id),
        accounts.map((a) => a.balance),
        accounts.map((a) => a.pending_debits),
        accounts.map((a) => a.version),
        sortedResponses.map((r) => r.key),
        sortedResponses.map((r) => r.request_hash),
        sortedResponses.map((r) => r.status_code),
        sortedResponses.map((r) => JSON.stringify(r.response)),
      ]
    )
    const written = result.rows[0]
    invariant(
      Number(written.transfers) === created.length &&
        Number(written.changed) === updated.length &&
        Number(written.entries) === entries.length &&
        Number(written.accounts) === accounts.length &&
        Number(written.responses) === responses.length,
      `batch wrote ${JSON.stringify(written)}, expected ${created.length}/${updated.length}/${entries.length}/${accounts.length}/${responses.length}`
    )
  }
}
