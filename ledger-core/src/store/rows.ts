import { LedgerError, invariant } from '../domain/errors.ts'
import type { Account, AccountState, Entry, Transfer } from '../domain/types.ts'

/** BIGINT arrives as a string; every amount we use must be a safe integer. */
export function toSafeInteger(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value)
  invariant(Number.isSafeInteger(n), `database value ${value} is not a safe integer`)
  return n
}

export const account_columns =
  'id, owner_ref, currency, kind, status, balance, pending_debits, allow_negative, version, metadata, created_at, updated_at'

export function toAccount(row: any): Account {
  return {
    id: row.id,
    owner_ref: row.owner_ref,
    currency: row.currency,
    kind: row.kind,
    status: row.status,
    balance: toSafeInteger(row.balance),
    pending_debits: toSafeInteger(row.pending_debits),
    allow_negative: row.allow_negative,
    version: toSafeInteger(row.version),
    metadata: row.metadata,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export const account_state_columns =
  'id, currency, kind, status, balance, pending_debits, allow_negative, version'

export function toAccountState(row: any): AccountState {
  return {
    id: row.id,
    currency: row.currency,
    kind: row.kind,
    status: row.status,
    balance: toSafeInteger(row.balance),
    pending_debits: toSafeInteger(row.pending_debits),
    allow_negative: row.allow_negative,
    version: toSafeInteger(row.version),
  }
}

export const transfer_columns =
  'id, debit_account_id, credit_account_id, currency, amount, posted_amount, reversed_amount, status, description, metadata, reversal_of, idempotency_key, expires_at, created_at, posted_at, updated_at'

/** From a row or from its JSON form (timestamps then arrive as text). */
export function toTransfer(row: any): Transfer {
  return {
    id: row.id,
    debit_account_id: row.debit_account_id,
    credit_account_id: row.credit_account_id,
    currency: row.currency,
    amount: toSafeInteger(row.amount),
    posted_amount: row.posted_amount === null ? null : toSafeInteger(row.posted_amount),
    reversed_amount: toSafeInteger(row.reversed_amount),
    status: row.status,
    description: row.description,
    metadata: row.metadata,
    reversal_of: row.reversal_of,
    idempotency_key: row.idempotency_key,
    expires_at: row.expires_at === null ? null : new Date(row.expires_at),
    created_at: new Date(row.created_at),
    posted_at: row.posted_at === null ? null : new Date(row.posted_at),
    updated_at: new Date(row.updated_at),
  }
}

export const entry_columns =
  'id, transfer_id, account_id, direction, amount, balance_after, account_version, created_at'

export function toEntry(row: any): Entry {
  return {
    id: String(row.id),
    transfer_id: row.transfer_id,
    account_id: row.account_id,
    direction: row.direction,
    amount: toSafeInteger(row.amount),
    balance_after: toSafeInteger(row.balance_after),
    account_version: toSafeInteger(row.account_version),
    created_at: row.created_at,
  }
}

/** Cursors are opaque to callers: the sequence number of the last row seen. */
export function encodeCursor(seq: string | number): string {
  return Buffer.from(`s${seq}`).toString('base64url')
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null
  const text = Buffer.from(cursor, 'base64url').toString()
  if (!/^s\d{1,18}$/.test(text)) {
    throw new LedgerError('validation_failed', 'the cursor is not one this API returned', {
      errors: [{ field: 'cursor', message: 'is not valid' }],
    })
  }
  return text.slice(1)
}

/** Fetch one row more than the page holds to know whether a next page exists. */
export function page<T>(
  rows: any[],
  limit: number,
  map: (row: any) => T,
  seqOf: (row: any) => string
) {
  const more = rows.length > limit
  const pageRows = more ? rows.slice(0, limit) : rows
  return {
    data: pageRows.map(map),
    next_cursor: more ? encodeCursor(seqOf(pageRows[pageRows.length - 1])) : null,
  }
}
