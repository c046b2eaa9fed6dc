/** Ledger objects as the domain sees them. Amounts are integer minor units. */
export type AccountKind = 'user' | 'system'
export type AccountStatus = 'active' | 'frozen' | 'closed'
export type TransferStatus = 'posted' | 'pending' | 'voided' | 'expired'
export type Metadata = Record<string, string>

export interface Account {
  id: string
  owner_ref: string
  currency: string
  kind: AccountKind
  status: AccountStatus
  balance: number
  pending_debits: number
  allow_negative: boolean
  version: number
  metadata: Metadata
  created_at: Date
  updated_at: Date
}

/** The part of an account the transfer rules read and change. */
export interface AccountState {
  id: string
  currency: string
  kind: AccountKind
  status: AccountStatus
  balance: number
  pending_debits: number
  allow_negative: boolean
  version: number
}

export interface Transfer {
  id: string
  debit_account_id: string
  credit_account_id: string
  amount: number
  posted_amount: number | null
  reversed_amount: number
  currency: string
  status: TransferStatus
  description: string | null
  metadata: Metadata
  reversal_of: string | null
  idempotency_key: string | null
  expires_at: Date | null
  created_at: Date
  posted_at: Date | null
  updated_at: Date
}

export interface Entry {
  id: string
  transfer_id: string
  account_id: string
  direction: 'debit' | 'credit'
  amount: number
  balance_after: number
  account_version: number
  created_at: Date
}

export interface TransferInput {
  debit_account_id: string
  credit_account_id: string
  amount: number
  currency: string
  pending?: boolean
  timeout_ms?: number
  description?: string
  metadata?: Metadata
}

export interface PostInput {
  transfer_id: string
  amount?: number
}

export interface ReverseInput {
  transfer_id: string
  amount?: number
  cover_account_id?: string
  description?: string
  metadata?: Metadata
}
