import { LedgerError, invariant } from './errors.ts'
import type {
  AccountState,
  Entry,
  PostInput,
  ReverseInput,
  Transfer,
  TransferInput,
} from './types.ts'

/**
 * The transfer rules, applied to accounts held in memory. A batch of the
 * writer loads and locks every account and transfer it touches, applies each
 * operation here in order, and writes what changed in one statement. Nothing
 * here does I/O, so the rules are tested directly.
 *
 * Order of precedence of failures for a transfer (the first that applies wins):
 * same_account, account_not_found, currency_mismatch, account_closed,
 * account_frozen, insufficient_funds, balance_overflow.
 */
export class Book {
  readonly accounts: Map<string, AccountState>
  readonly transfers: Map<string, Transfer>
  /** Transfers created by this book, in order. */
  readonly created: Transfer[] = []
  /** Entries written by this book, in order. */
  readonly entries: Omit<Entry, 'id'>[] = []
  private readonly changedAccounts = new Set<string>()
  private readonly changedTransfers = new Set<string>()
  private undo: UndoLog | null = null

  readonly now: Date

  constructor(accounts: Iterable<AccountState>, transfers: Iterable<Transfer>, now: Date) {
    this.now = now
    this.accounts = new Map([...accounts].map((a) => [a.id, a]))
    this.transfers = new Map([...transfers].map((t) => [t.id, t]))
  }

  /** Accounts whose balance, holds or version changed. */
  changedAccountStates(): AccountState[] {
    return [...this.changedAccounts].map((id) => this.accounts.get(id)!)
  }

  /** Transfers that existed before this book and changed their lifecycle. */
  updatedTransfers(): Transfer[] {
    const createdIds = new Set(this.created.map((t) => t.id))
    return [...this.changedTransfers]
      .filter((id) => !createdIds.has(id))
      .map((id) => this.transfers.get(id)!)
  }

  createTransfer(input: TransferInput, id: string, idempotencyKey: string | null): Transfer {
    const { debit, credit } = this.transferAccounts(
      input.debit_account_id,
      input.credit_account_id,
      input.currency
    )
    this.refuseInactive(debit, 'debit')
    this.refuseInactive(credit, 'credit')
    this.requireAvailable(debit, input.amount)

    const pending = input.pending === true
    const transfer: Transfer = {
      id,
      debit_account_id: debit.id,
      credit_account_id: credit.id,
      amount: input.amount,
      posted_amount: pending ? null : input.amount,
      reversed_amount: 0,
      currency: input.currency,
      status: pending ? 'pending' : 'posted',
      description: input.description ?? null,
      metadata: input.metadata ?? {},
      reversal_of: null,
      idempotency_key: idempotencyKey,
      expires_at:
        pending && input.timeout_ms ? new Date(this.now.getTime() + input.timeout_ms) : null,
      created_at: this.now,
      posted_at: pending ? null : this.now,
      updated_at: this.now,
    }
    if (pending) {
      this.changeAccount(debit, { pending_debits: debit.pending_debits + input.amount })
    } else {
      this.move(transfer, debit, credit, input.amount)
    }
    this.addTransfer(transfer)
    return transfer
  }

  postTransfer(input: PostInput): Transfer {
    const transfer = this.pendingTransfer(input.transfer_id)
    const amount = input.amount ?? transfer.amount
    if (amount > transfer.amount) {
      throw new LedgerError(
        'amount_exceeds_pending',
        `amount ${amount} is larger than the held ${transfer.amount}`
      )
    }
    const debit = this.accounts.get(transfer.debit_account_id)!
    const credit = this.accounts.get(transfer.credit_account_id)!
    this.refuseInactive(debit, 'debit')
    this.refuseInactive(credit, 'credit')
    this.refuseOverflow(credit.balance + amount, credit.id)

    this.changeAccount(debit, { pending_debits: debit.pending_debits - transfer.amount })
    this.changeTransfer(transfer, { status: 'posted', posted_amount: amount, posted_at: this.now })
    this.move(transfer, debit, credit, amount)
    return transfer
  }

  voidTransfer(transferId: string): Transfer {
    const transfer = this.pendingTransfer(transferId)
    this.release(transfer, 'voided')
    return transfer
  }

  /** Expire a pending transfer whose timeout passed; false when there is nothing to do. */
  expireTransfer(transferId: string): boolean {
    const transfer = this.transfers.get(transferId)
    if (!transfer || transfer.status !== 'pending' || !this.isPastExpiry(transfer)) return false
    this.release(transfer, 'expired')
    return true
  }

  reverseTransfer(input: ReverseInput, id: string, idempotencyKey: string | null): Transfer {
    const original = this.transfers.get(input.transfer_id)
    if (!original)
      throw new LedgerError('transfer_not_found', `transfer ${input.transfer_id} does not exist`)
    if (original.reversal_of !== null) {
      throw new LedgerError(
        'invalid_state',
        'a reversal cannot itself be reversed; create a new transfer'
      )
    }
    if (original.status !== 'posted') {
      throw new LedgerError(
        'invalid_state',
        `only posted transfers can be reversed; this one is ${original.status}`
      )
    }
    const remaining = original.posted_amount! - original.reversed_amount
    if (remaining === 0)
      throw new LedgerError('already_reversed', `transfer ${original.id} is already fully reversed`)
    const amount = input.amount ?? remaining
    if (amount > remaining) {
      throw new LedgerError(
        'amount_exceeds_pending',
        `only ${remaining} of the transfer is left to reverse`
      )
    }

    const payerId = input.cover_account_id ?? original.credit_account_id
    const { debit, credit } = this.transferAccounts(
      payerId,
      original.debit_account_id,
      original.currency
    )
    if (input.cover_account_id && debit.kind !== 'system') {
      throw new LedgerError('validation_failed', 'cover_account_id must name a system account', {
        errors: [{ field: 'cover_account_id', message: 'must be a system account' }],
      })
    }
    // Reversals are how support undoes fraud on frozen accounts, so only a
    // closed account stops them.
    this.refuseClosed(debit)
    this.refuseClosed(credit)
    this.requireAvailable(debit, amount)

    const reversal: Transfer = {
      id,
      debit_account_id: debit.id,
      credit_account_id: credit.id,
      amount,
      posted_amount: amount,
      reversed_amount: 0,
      currency: original.currency,
      status: 'posted',
      description: input.description ?? `Reversal of ${original.id}`,
      metadata: input.metadata ?? {},
      reversal_of: original.id,
      idempotency_key: idempotencyKey,
      expires_at: null,
      created_at: this.now,
      posted_at: this.now,
      updated_at: this.now,
    }
    this.changeTransfer(original, { reversed_amount: original.reversed_amount + amount })
    this.move(reversal, debit, credit, amount)
    this.addTransfer(reversal)
    return reversal
  }

  /**
   * Run `apply` so that either all of its changes stay or, when it throws,
   * none do. Used for each operation and for atomic batches.
   */
  atomically<T>(apply: () => T): T {
    const outer = this.undo
    const log: UndoLog = {
      accounts: new Map(),
      transfers: new Map(),
      createdCount: this.created.length,
      entryCount: this.entries.length,
      changedAccounts: new Set(this.changedAccounts),
      changedTransfers: new Set(this.changedTransfers),
    }
    this.undo = log
    try {
      return apply()
    } catch (error) {
      for (const [id, saved] of log.accounts) this.accounts.set(id, saved)
      for (const [id, saved] of log.transfers) {
        if (saved) this.transfers.set(id, saved)
        else this.transfers.delete(id)
      }
      this.created.length = log.createdCount
      this.entries.length = log.entryCount
      this.changedAccounts.clear()
      for (const id of log.changedAccounts) this.changedAccounts.add(id)
      this.changedTransfers.clear()
      for (const id of log.changedTransfers) this.changedTransfers.add(id)
      throw error
    } finally {
      this.undo = outer
      // What the inner scope saved is still needed if the outer one rolls back.
      if (outer) {
        for (const [id, saved] of log.accounts)
          if (!outer.accounts.has(id)) outer.accounts.set(id, saved)
        for (const [id, saved] of log.transfers)
          if (!outer.transfers.has(id)) outer.transfers.set(id, saved)
      }
    }
  }

  private transferAccounts(debitId: string, creditId: string, currency: string) {
    if (debitId === creditId)
      throw new LedgerError('same_account', 'the debit and credit accounts must differ')
    const debit = this.accounts.get(debitId)
    if (!debit)
      throw new LedgerError('account_not_found', `debit account ${debitId} does not exist`)
    const credit = this.accounts.get(creditId)
    if (!credit)
      throw new LedgerError('account_not_found', `credit account ${creditId} does not exist`)
    if (debit.currency !== currency || credit.currency !== currency) {
      throw new LedgerError(
        'currency_mismatch',
        `transfer is in ${currency}; the debit account holds ${debit.currency} and the credit account ${credit.currency}`
      )
    }
    return { debit, credit }
  }

  private refuseClosed(account: AccountState) {
    if (account.status === 'closed')
      throw new LedgerError('account_closed', `account ${account.id} is closed`)
  }

  private refuseInactive(account: AccountState, side: 'debit' | 'credit') {
    this.refuseClosed(account)
    if (account.status === 'frozen')
      throw new LedgerError('account_frozen', `the ${side} account ${account.id} is frozen`)
  }

  private requireAvailable(account: AccountState, amount: number) {
    if (!account.allow_negative && account.balance - account.pending_debits < amount) {
      throw new LedgerError('insufficient_funds', `account ${account.id} cannot cover ${amount}`)
    }
    this.refuseOverflow(account.balance - account.pending_debits - amount, account.id)
    this.refuseOverflow(account.pending_debits + amount, account.id)
  }

  private refuseOverflow(value: number, accountId: string) {
    if (!Number.isSafeInteger(value)) {
      throw new LedgerError(
        'balance_overflow',
        `account ${accountId} would leave the representable range`
      )
    }
  }

  private pendingTransfer(transferId: string): Transfer {
    const transfer = this.transfers.get(transferId)
    if (!transfer)
      throw new LedgerError('transfer_not_found', `transfer ${transferId} does not exist`)
    if (transfer.status === 'pending' && this.isPastExpiry(transfer)) {
      // The sweeper has not reached it yet; its time is up all the same.
      throw new LedgerError('invalid_state', `transfer ${transfer.id} has expired`)
    }
    if (transfer.status !== 'pending') {
      throw new LedgerError(
        'invalid_state',
        `transfer ${transfer.id} is ${transfer.status}, not pending`
      )
    }
    return transfer
  }

  private isPastExpiry(transfer: Transfer): boolean {
    return transfer.expires_at !== null && transfer.expires_at.getTime() <= this.now.getTime()
  }

  private release(transfer: Transfer, status: 'voided' | 'expired') {
    const debit = this.accounts.get(transfer.debit_account_id)!
    this.changeAccount(debit, { pending_debits: debit.pending_debits - transfer.amount })
    this.changeTransfer(transfer, { status })
  }

  /** The only place money moves: one debit entry and one credit entry. */
  private move(transfer: Transfer, debit: AccountState, credit: AccountState, amount: number) {
    invariant(
      Number.isSafeInteger(amount) && amount > 0,
      `amount ${amount} must be a positive safe integer`
    )
    this.refuseOverflow(debit.balance - amount, debit.id)
    this.refuseOverflow(credit.balance + amount, credit.id)
    this.changeAccount(debit, { balance: debit.balance - amount })
    this.changeAccount(credit, { balance: credit.balance + amount })
    const after = { debit: this.accounts.get(debit.id)!, credit: this.accounts.get(credit.id)! }
    for (const direction of ['debit', 'credit'] as const) {
      this.entries.push({
        transfer_id: transfer.id,
        account_id: after[direction].id,
        direction,
        amount,
        balance_after: after[direction].balance,
        account_version: after[direction].version,
        created_at: this.now,
      })
    }
  }

  private changeAccount(
    account: AccountState,
    change: Partial<Pick<AccountState, 'balance' | 'pending_debits'>>
  ) {
    const current = this.accounts.get(account.id)!
    if (this.undo && !this.undo.accounts.has(current.id))
      this.undo.accounts.set(current.id, { ...current })
    Object.assign(current, change)
    current.version += 1
    invariant(current.pending_debits >= 0, `account ${current.id} would hold a negative amount`)
    invariant(
      current.allow_negative || current.balance - current.pending_debits >= 0,
      `account ${current.id} would go below zero`
    )
    this.changedAccounts.add(current.id)
  }

  private changeTransfer(transfer: Transfer, change: Partial<Transfer>) {
    if (this.undo && !this.undo.transfers.has(transfer.id))
      this.undo.transfers.set(transfer.id, { ...transfer })
    Object.assign(transfer, change, { updated_at: this.now })
    this.changedTransfers.add(transfer.id)
  }

  private addTransfer(transfer: Transfer) {
    if (this.undo && !this.undo.transfers.has(transfer.id))
      this.undo.transfers.set(transfer.id, null)
    this.transfers.set(transfer.id, transfer)
    this.created.push(transfer)
  }
}

interface UndoLog {
  accounts: Map<string, AccountState>
  /** null: the transfer did not exist before. */
  transfers: Map<string, Transfer | null>
  createdCount: number
  entryCount: number
  changedAccounts: Set<string>
  changedTransfers: Set<string>
}
