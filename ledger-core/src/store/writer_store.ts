import type pg from 'pg'
import type { Book } from '../domain/book.ts'
import type { AccountState, Transfer } from '../domain/types.ts'
import { invariant } from '../domain/errors.ts'
import { account_state_columns, toAccountState, toTransfer, transfer_columns } from './rows.ts'

/**
 * What a write keeps under its idempotency key: the ids of the transfers it
 * made or changed, from which a replay rebuilds its answer, or, for a
 * refusal, the answer itself.
 */
export interface StoredAnswer {
  key: string
  request_hash: string
  status_code: number
  response: any
  transfer_ids: string[] | null
}

/** A stored answer as read back, with the transfers it names in stored order. */
export interface StoredResponse extends StoredAnswer {
  transfers: Transfer[]
}

/** What a batch reads before it applies its operations. */
export interface Snapshot {
  responses: Map<string, StoredResponse>
  transfers: Transfer[]
  accounts: AccountState[]
  now: Date
}

/**
 * The SQL of one writer batch.
 *
 * Fast path, two round trips whatever the batch size: one query reads the
 * stored responses, transfers and accounts the batch needs, without locks;
 * one statement writes every change and commits. That statement changes an
 * account or transfer only if it is still as read (its version, its status),
 * and fails as a whole with serialization_failure otherwise, so a batch that
 * raced another process writes nothing.
 *
 * Slow path, after such a conflict: inside a transaction, lock the
 * transfers, then the accounts, each in id order (so writers in any number of
 * processes never deadlock), read, and write with the same statement.
 */
export class WriterStore {
  private readonly client: pg.ClientBase

  constructor(client: pg.ClientBase) {
    this.client = client
  }

  async snapshot(keys: string[], transferIds: string[], accountIds: string[]): Promise<Snapshot> {
    const result = await this.client.query({
      name: 'ledger_batch_snapshot',
      text: snapshot_sql,
      values: [keys, transferIds, accountIds],
    })
    const row = result.rows[0]
    return {
      responses: new Map(row.responses.map((r: any) => [r.key, toStoredResponse(r)])),
      transfers: row.transfers.map(toTransfer),
      accounts: row.accounts.map(toAccountState),
      now: new Date(row.now),
    }
  }

  /** The slow path's read: call inside BEGIN … COMMIT. */
  async lockedSnapshot(
    keys: string[],
    transferIds: string[],
    accountIds: string[]
  ): Promise<Snapshot> {
    const transfers = (
      await this.client.query(
        `SELECT ${transfer_columns} FROM ledger.transfers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [transferIds]
      )
    ).rows.map(toTransfer)
    const ids = [
      ...new Set([
        ...accountIds,
        ...transfers.flatMap((t) => [t.debit_account_id, t.credit_account_id]),
      ]),
    ]
    // The clock is read after every lock is held, so entry times never run
    // backwards for an account.
    const accounts = await this.client.query(
      `SELECT date_trunc('milliseconds', clock_timestamp()) AS now, a.* FROM (
         SELECT ${account_state_columns} FROM ledger.accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
       ) a`,
      [ids]
    )
    const clock =
      accounts.rows.at(-1)?.now ??
      (await this.client.query(`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`))
        .rows[0].now
    const responses = await this.client.query(stored_answers_sql, [keys])
    return {
      responses: new Map(responses.rows.map((r) => [r.key, toStoredResponse(r)])),
      transfers,
      accounts: accounts.rows.map(toAccountState),
      now: clock,
    }
  }

  /**
   * Write the book's changes in one statement. `read` holds the accounts and
   * transfers as the snapshot saw them; any that changed since make the
   * statement fail with serialization_failure (40001) and write nothing.
   */
  async write(book: Book, read: Snapshot, responses: StoredAnswer[]): Promise<void> {
    const created = book.created
    const updated = book.updatedTransfers()
    const entries = book.entries
    const accounts = book.changedAccountStates().sort((a, b) => (a.id < b.id ? -1 : 1))
    if (created.length + updated.length + entries.length + accounts.length + responses.length === 0)
      return
    const readVersions = new Map(read.accounts.map((a) => [a.id, a.version]))
    const readTransfers = new Map(read.transfers.map((t) => [t.id, t]))
    // Keys are inserted in sorted order so that two processes racing on the
    // same keys wait on each other instead of deadlocking.
    const sortedResponses = [...responses].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0
    )
    // One array per column, read by unnest(): measured against one jsonb
    // document of the same rows (bench/write_formats.ts), arrays cost
    // PostgreSQL about half as much to read. Times go as epoch milliseconds,
    // which both sides convert exactly and cheaply. Responses are one row per
    // request and hold arrays of their own, so they stay one json document.
    const result = await this.client.query({
      name: 'ledger_batch_write',
      text: write_sql,
      values: [
        ...columns(created, [
          (t) => t.id,
          (t) => t.debit_account_id,
          (t) => t.credit_account_id,
          (t) => t.currency,
          (t) => t.amount,
          (t) => t.posted_amount,
          (t) => t.reversed_amount,
          (t) => t.status,
          (t) => t.description,
          // As text, stored as json: the caller's key order stays.
          (t) => JSON.stringify(t.metadata),
          (t) => t.reversal_of,
          (t) => t.idempotency_key,
          (t) => epochMs(t.expires_at),
          (t) => epochMs(t.created_at),
          (t) => epochMs(t.posted_at),
          (t) => epochMs(t.updated_at),
        ]),
        ...columns(updated, [
          (t) => t.id,
          (t) => t.status,
          (t) => t.posted_amount,
          (t) => t.reversed_amount,
          (t) => epochMs(t.posted_at),
          (t) => epochMs(t.updated_at),
          (t) => readTransfers.get(t.id)!.status,
          (t) => readTransfers.get(t.id)!.reversed_amount,
        ]),
        ...columns(entries, [
          (e) => e.transfer_id,
          (e) => e.account_id,
          (e) => e.direction,
          (e) => e.amount,
          (e) => e.balance_after,
          (e) => e.account_version,
          (e) => epochMs(e.created_at),
        ]),
        ...columns(accounts, [
          (a) => a.id,
          (a) => a.balance,
          (a) => a.pending_debits,
          (a) => a.version,
          (a) => readVersions.get(a.id),
        ]),
        JSON.stringify(sortedResponses),
        book.now,
      ],
    })
    const written = result.rows[0]
    invariant(
      Number(written.transfers) === created.length &&
        Number(written.entries) === entries.length &&
        Number(written.responses) === responses.length,
      `batch wrote ${JSON.stringify(written)}, expected ${created.length}/${entries.length}/${responses.length}`
    )
  }
}

/** Rows as one array per column, in row order. */
function columns<Row>(rows: Row[], pick: ((row: Row) => unknown)[]): unknown[][] {
  return pick.map((column) => rows.map(column))
}

function epochMs(time: Date | null): number | null {
  return time === null ? null : time.getTime()
}

/** SQL for a time sent as epoch milliseconds; exact, unlike to_timestamp's float seconds. */
const time = (ms: string) => `'epoch'::timestamptz + ${ms} * interval '1 millisecond'`

function toStoredResponse(row: any): StoredResponse {
  return { ...row, transfers: (row.transfers ?? []).map(toTransfer) }
}

/** The stored answers of keys $1, each with the transfers it names, in stored order. */
const stored_answers_sql = `
SELECT k.key, k.request_hash, k.status_code, k.response, k.transfer_ids,
  (SELECT json_agg(t ORDER BY u.ord)
   FROM unnest(k.transfer_ids) WITH ORDINALITY AS u(id, ord),
   LATERAL (SELECT ${transfer_columns} FROM ledger.transfers WHERE id = u.id) t) AS transfers
FROM ledger.idempotency_keys k WHERE k.key = ANY($1::text[])`

const snapshot_sql = `
SELECT date_trunc('milliseconds', clock_timestamp()) AS now,
  (SELECT coalesce(json_agg(r), '[]') FROM (${stored_answers_sql}) r) AS responses,
  (SELECT coalesce(json_agg(t), '[]') FROM (
     SELECT ${transfer_columns} FROM ledger.transfers WHERE id = ANY($2::uuid[])
   ) t) AS transfers,
  (SELECT coalesce(json_agg(a), '[]') FROM (
     SELECT ${account_state_columns} FROM ledger.accounts
     WHERE id = ANY($3::uuid[]
       || ARRAY(SELECT debit_account_id FROM ledger.transfers WHERE id = ANY($2::uuid[]))
       || ARRAY(SELECT credit_account_id FROM ledger.transfers WHERE id = ANY($2::uuid[])))
   ) a) AS accounts`

// A function scan returns rows in array order, so entries get ids in the
// order the book wrote them and an account's balance_after never runs
// backwards. Accounts are updated in id order, so row locks are taken in id
// order. Every data-modifying part runs to completion before the final
// check, and the check failing undoes them all.
const write_sql = `
WITH
new_transfers AS (
  INSERT INTO ledger.transfers (id, debit_account_id, credit_account_id, currency, amount, posted_amount,
    reversed_amount, status, description, metadata, reversal_of, idempotency_key, expires_at,
    created_at, posted_at, updated_at)
  SELECT t.id, t.debit_account_id, t.credit_account_id, t.currency, t.amount, t.posted_amount,
    t.reversed_amount, t.status, t.description, t.metadata::json, t.reversal_of, t.idempotency_key,
    ${time('t.expires_at')}, ${time('t.created_at')}, ${time('t.posted_at')}, ${time('t.updated_at')}
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::text[],
    $9::text[], $10::text[], $11::uuid[], $12::text[], $13::int8[], $14::int8[], $15::int8[], $16::int8[])
    AS t(id, debit_account_id, credit_account_id, currency, amount, posted_amount, reversed_amount, status,
    description, metadata, reversal_of, idempotency_key, expires_at, created_at, posted_at, updated_at)
  RETURNING 1
),
changed_transfers AS (
  UPDATE ledger.transfers t
  SET status = u.status, posted_amount = u.posted_amount, reversed_amount = u.reversed_amount,
      posted_at = ${time('u.posted_at')}, updated_at = ${time('u.updated_at')}
  FROM unnest($17::uuid[], $18::text[], $19::int8[], $20::int8[], $21::int8[], $22::int8[], $23::text[],
    $24::int8[]) AS u(id, status, posted_amount, reversed_amount, posted_at, updated_at, read_status,
    read_reversed_amount)
  WHERE t.id = u.id AND t.status = u.read_status AND t.reversed_amount = u.read_reversed_amount
  RETURNING 1
),
new_entries AS (
  INSERT INTO ledger.entries (transfer_id, account_id, direction, amount, balance_after, account_version, created_at)
  SELECT e.transfer_id, e.account_id, e.direction, e.amount, e.balance_after, e.account_version,
    ${time('e.created_at')}
  FROM unnest($25::uuid[], $26::uuid[], $27::text[], $28::int8[], $29::int8[], $30::int8[], $31::int8[])
    AS e(transfer_id, account_id, direction, amount, balance_after, account_version, created_at)
  RETURNING 1
),
changed_accounts AS (
  UPDATE ledger.accounts a
  SET balance = u.balance, pending_debits = u.pending_debits, version = u.version, updated_at = $38
  FROM unnest($32::uuid[], $33::int8[], $34::int8[], $35::int8[], $36::int8[])
    AS u(id, balance, pending_debits, version, read_version)
  WHERE a.id = u.id AND a.version = u.read_version
  RETURNING 1
),
new_responses AS (
  INSERT INTO ledger.idempotency_keys (key, request_hash, status_code, response, transfer_ids)
  SELECT r.key, r.request_hash, r.status_code, r.response, r.transfer_ids
  FROM json_to_recordset($37::json) AS r(key text, request_hash text, status_code smallint, response json,
    transfer_ids uuid[])
  RETURNING 1
),
counts AS (
  SELECT (SELECT count(*) FROM new_transfers) AS transfers,
         (SELECT count(*) FROM new_entries) AS entries,
         (SELECT count(*) FROM new_responses) AS responses,
         (SELECT count(*) FROM changed_transfers) = cardinality($17::uuid[])
           AND (SELECT count(*) FROM changed_accounts) = cardinality($32::uuid[]) AS as_read
)
SELECT transfers, entries, responses, ledger.require_unchanged(as_read) FROM counts`
