import type { components } from '../contract/types.ts'
import type { Account, Entry, Transfer } from '../domain/types.ts'

/**
 * Ledger objects in their wire shape (the contract's schemas). The embedded
 * and the remote ledger answer with exactly these, so callers see one format.
 */
export type WireAccount = components['schemas']['Account']
export type WireTransfer = components['schemas']['Transfer']
export type WireEntry = components['schemas']['Entry']

export function accountToWire(a: Account): WireAccount {
  return {
    id: a.id,
    owner_ref: a.owner_ref,
    currency: a.currency,
    kind: a.kind,
    status: a.status,
    balance: a.balance,
    pending_debits: a.pending_debits,
    available_balance: a.balance - a.pending_debits,
    allow_negative: a.allow_negative,
    version: a.version,
    metadata: a.metadata,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  }
}

export function transferToWire(t: Transfer): WireTransfer {
  return {
    id: t.id,
    debit_account_id: t.debit_account_id,
    credit_account_id: t.credit_account_id,
    amount: t.amount,
    posted_amount: t.posted_amount,
    reversed_amount: t.reversed_amount,
    currency: t.currency,
    status: t.status,
    description: t.description,
    metadata: t.metadata,
    reversal_of: t.reversal_of,
    idempotency_key: t.idempotency_key,
    expires_at: t.expires_at?.toISOString() ?? null,
    created_at: t.created_at.toISOString(),
    posted_at: t.posted_at?.toISOString() ?? null,
    updated_at: t.updated_at.toISOString(),
  }
}

export function entryToWire(e: Entry): WireEntry {
  return {
    id: e.id,
    transfer_id: e.transfer_id,
    account_id: e.account_id,
    direction: e.direction,
    amount: e.amount,
    balance_after: e.balance_after,
    account_version: e.account_version,
    created_at: e.created_at.toISOString(),
  }
}
