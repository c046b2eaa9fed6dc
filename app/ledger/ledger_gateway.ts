/**
 * The ledger module: everything the app knows of ledger-core. It owns the
 * gateway (one interface, answered in-process on a worker thread or over
 * HTTP), the wire types, and the one map from ledger refusals to API errors
 * (ledger_refusals.ts). It needs nothing from the app's other modules.
 */
import app from '@adonisjs/core/services/app'
import type { ErrorCode } from '@purse/ledger-core'
import type { components } from '@purse/ledger-core/contract'

export type LedgerAccount = components['schemas']['Account']
export type LedgerTransfer = components['schemas']['Transfer']
export type LedgerEntry = components['schemas']['Entry']
export type LedgerPage<T> = { data: T[]; next_cursor: string | null }
export type LedgerReplayable<T> = { status: number; body: T; replayed: boolean }

/** A refusal from ledger-core, with its catalogue code (insufficient_funds, …). */
export class LedgerRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    detail: string,
    /** The refusal is the stored first answer to its idempotency key, replayed. */
    readonly replayed = false
  ) {
    super(detail)
  }
}

/**
 * ledger-core did not give an answer. `sent` says whether the request may
 * have reached it: when it did (a timeout, a dropped connection, a 5xx), a
 * payment may have been made, and only repeating it with the same
 * idempotency key tells; when it did not (refused connection, open breaker),
 * nothing was moved.
 */
export class LedgerUnavailable extends Error {
  constructor(
    message: string,
    readonly sent: boolean
  ) {
    super(message)
  }
}

/**
 * What the app asks of ledger-core. Two implementations answer in the
 * contract's wire shapes: in-process (LEDGER_URL unset) and over HTTP.
 */
export interface LedgerGateway {
  ensureAccount(input: components['schemas']['EnsureAccountRequest']): Promise<LedgerAccount>
  getAccount(id: string): Promise<LedgerAccount>
  listAccounts(ownerRef: string): Promise<LedgerAccount[]>
  createTransfer(
    input: components['schemas']['CreateTransferRequest'],
    idempotencyKey: string
  ): Promise<LedgerReplayable<LedgerTransfer>>
  getTransfer(id: string): Promise<LedgerTransfer>
  /** The transfer's debit and credit entries, debit first, each with the balance after it. */
  listTransferEntries(id: string): Promise<LedgerEntry[]>
  listAccountTransfers(
    id: string,
    query: { limit?: number; cursor?: string }
  ): Promise<LedgerPage<LedgerTransfer>>
  listAccountEntries(
    id: string,
    query: { limit?: number; cursor?: string; from?: string; to?: string }
  ): Promise<LedgerPage<LedgerEntry>>
  /** The balance now, or after the last entry at or before `asOf` (RFC 3339). */
  getBalance(id: string, asOf?: string): Promise<components['schemas']['Balance']>
  setAccountStatus(id: string, status: 'active' | 'frozen'): Promise<LedgerAccount>
  /** Moves a pending transfer's hold (all of it unless `amount`); refused once voided or expired. */
  postTransfer(id: string, idempotencyKey: string): Promise<LedgerReplayable<LedgerTransfer>>
  /** Releases a pending transfer's hold; refused once posted or expired. */
  voidTransfer(id: string, idempotencyKey: string): Promise<LedgerReplayable<LedgerTransfer>>
  reverseTransfer(
    id: string,
    input: components['schemas']['ReverseTransferRequest'],
    idempotencyKey: string
  ): Promise<LedgerReplayable<LedgerTransfer>>
  invariants(): Promise<components['schemas']['InvariantsReport']>
  health(): Promise<boolean>
  close(): Promise<void>
}

/** The ledger the app is bound to (see providers/ledger_provider.ts). */
export function ledger(): Promise<LedgerGateway> {
  return app.container.make('ledger')
}
