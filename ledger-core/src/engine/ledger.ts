import pg from 'pg'
import { v7 as uuidv7 } from 'uuid'
import type { components } from '../contract/types.ts'
import { isKnownCurrency } from '../domain/currency.ts'
import { LedgerError } from '../domain/errors.ts'
import {
  amount_max_default,
  expiry_sweep_count_max,
  expiry_sweep_interval_ms,
  page_limit_default,
  page_limit_max,
} from '../domain/limits.ts'
import type {
  AccountKind,
  AccountStatus,
  PostInput,
  ReverseInput,
  TransferInput,
} from '../domain/types.ts'
import { createLedgerMetrics, type LedgerMetrics } from '../metrics.ts'
import { AccountsStore } from '../store/accounts_store.ts'
import {
  database_connect_timeout_ms,
  database_query_timeout_ms,
} from '../store/connection_errors.ts'
import { checkInvariants } from '../store/invariants_store.ts'
import { purgeStoredResponses, withStoredResponse } from '../store/stored_responses.ts'
import { TransfersStore } from '../store/transfers_store.ts'
import { requestHash } from './request_hash.ts'
import { accountToWire, entryToWire, transferToWire } from './wire.ts'
import { Writer, batched_mode, type WriteResult, type WriterMode } from './writer.ts'

type Schemas = components['schemas']

export interface LedgerOptions {
  databaseUrl: string
  amountMax?: number
  idempotencyTtlHours?: number
  poolMax?: number
  /** How money-moving requests reach the database; batched unless measuring. */
  writerMode?: WriterMode
  metrics?: LedgerMetrics
  log?: (level: 'error' | 'fatal', message: string, error?: unknown) => void
}

/** A response of a call that can be replayed: `replayed` is true for a stored first response. */
export type Replayable<T> = { status: number; body: T; replayed: boolean }

export interface PageQuery {
  limit?: number
  cursor?: string
}

/**
 * The ledger's use cases. The HTTP server calls these, and so does an app
 * that embeds the ledger in its own process; both get the contract's wire
 * shapes. Money moves only through the writer.
 */
export class Ledger {
  readonly metrics: LedgerMetrics
  private readonly pool: pg.Pool
  private readonly writer: Writer
  private readonly accounts: AccountsStore
  private readonly transfers: TransfersStore
  private readonly amountMax: number
  private readonly idempotencyTtlHours: number
  private sweeper: NodeJS.Timeout | null = null
  private sweeping = false
  private closed = false

  constructor(options: LedgerOptions) {
    const log =
      options.log ??
      ((level, message, error) => console.error(`[ledger ${level}] ${message}`, error))
    this.metrics = options.metrics ?? createLedgerMetrics()
    this.pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax ?? 10,
      application_name: 'ledger-core',
      connectionTimeoutMillis: database_connect_timeout_ms,
      query_timeout: database_query_timeout_ms,
    })
    this.pool.on('error', (error) => log('error', 'idle database connection failed', error))
    this.writer = new Writer(
      options.databaseUrl,
      this.metrics,
      log,
      options.writerMode ?? batched_mode
    )
    this.accounts = new AccountsStore(this.pool)
    this.transfers = new TransfersStore(this.pool)
    this.amountMax = options.amountMax ?? amount_max_default
    this.idempotencyTtlHours = options.idempotencyTtlHours ?? 72
  }

  /** Start the background work: expiring holds and forgetting old idempotency keys. */
  start(): this {
    this.sweeper = setInterval(() => void this.sweep(), expiry_sweep_interval_ms)
    this.sweeper.unref()
    return this
  }

  /** Stop background work, answer everything queued, then close connections. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.sweeper) clearInterval(this.sweeper)
    await this.writer.close()
    await this.pool.end()
  }

  // Accounts

  async ensureAccount(
    input: Schemas['EnsureAccountRequest'],
    idempotencyKey?: string
  ): Promise<Replayable<Schemas['Account']>> {
    const kind: AccountKind = input.kind ?? 'user'
    if (!isKnownCurrency(input.currency))
      throw invalidField('currency', 'is not an ISO 4217 currency code')
    if (input.allow_negative && kind !== 'system') {
      throw invalidField('allow_negative', 'only system accounts may go below zero')
    }
    const ensure = async (store: AccountsStore) => {
      const { account, created } = await store.ensure({
        owner_ref: input.owner_ref,
        currency: input.currency,
        kind,
        allow_negative: input.allow_negative ?? false,
        metadata: input.metadata ?? {},
      })
      return { status: created ? 201 : 200, body: accountToWire(account) }
    }
    if (!idempotencyKey) return { ...(await ensure(this.accounts)), replayed: false }
    return withStoredResponse(
      this.pool,
      idempotencyKey,
      requestHash('ensureAccount', input),
      (client) => ensure(new AccountsStore(client))
    )
  }

  async getAccount(id: string): Promise<Schemas['Account']> {
    return accountToWire(await this.accounts.get(id))
  }

  async listAccounts(
    query: PageQuery & { owner_ref?: string; currency?: string; status?: AccountStatus }
  ) {
    const result = await this.accounts.list({ ...query, limit: pageLimit(query.limit) })
    return { data: result.data.map(accountToWire), next_cursor: result.next_cursor }
  }

  async setAccountStatus(
    id: string,
    status: 'active' | 'frozen',
    idempotencyKey?: string
  ): Promise<Replayable<Schemas['Account']>> {
    const change = async (store: AccountsStore) => ({
      status: 200,
      body: accountToWire(await store.setStatus(id, status)),
    })
    if (!idempotencyKey) return { ...(await change(this.accounts)), replayed: false }
    return withStoredResponse(
      this.pool,
      idempotencyKey,
      requestHash('setAccountStatus', { id, status }),
      (client) => change(new AccountsStore(client))
    )
  }

  async getBalance(id: string, asOf?: Date): Promise<Schemas['Balance']> {
    const account = await this.accounts.get(id)
    if (!asOf) {
      return {
        account_id: account.id,
        currency: account.currency,
        balance: account.balance,
        pending_debits: account.pending_debits,
        available_balance: account.balance - account.pending_debits,
        as_of: new Date().toISOString(),
      }
    }
    return {
      account_id: account.id,
      currency: account.currency,
      balance: await this.accounts.balanceAsOf(id, asOf),
      pending_debits: null,
      available_balance: null,
      as_of: asOf.toISOString(),
    }
  }

  async listAccountTransfers(accountId: string, query: PageQuery) {
    await this.accounts.get(accountId)
    const result = await this.transfers.listByAccount(
      accountId,
      pageLimit(query.limit),
      query.cursor
    )
    return { data: result.data.map(transferToWire), next_cursor: result.next_cursor }
  }

  async listAccountEntries(accountId: string, query: PageQuery & { from?: Date; to?: Date }) {
    await this.accounts.get(accountId)
    const result = await this.transfers.entriesByAccount(accountId, {
      ...query,
      limit: pageLimit(query.limit),
    })
    return { data: result.data.map(entryToWire), next_cursor: result.next_cursor }
  }

  // Transfers

  createTransfer(
    input: Schemas['CreateTransferRequest'],
    idempotencyKey: string
  ): Promise<WriteResult<Schemas['Transfer']>> {
    this.checkTransferInput(input)
    return this.writer.submit({
      kind: 'create',
      key: requireKey(idempotencyKey),
      hash: requestHash('createTransfer', input),
      id: uuidv7(),
      input: input as TransferInput,
    })
  }

  createTransferBatch(
    input: Schemas['CreateTransferBatchRequest'],
    idempotencyKey: string
  ): Promise<WriteResult<Schemas['TransferBatch']>> {
    input.transfers.forEach((transfer, index) => {
      try {
        this.checkTransferInput(transfer)
      } catch (error) {
        throw error instanceof LedgerError ? error.withIndex(index) : error
      }
    })
    return this.writer.submit({
      kind: 'batch',
      key: requireKey(idempotencyKey),
      hash: requestHash('createTransferBatch', input),
      ids: input.transfers.map(() => uuidv7()),
      inputs: input.transfers as TransferInput[],
    })
  }

  postTransfer(
    transferId: string,
    input: { amount?: number },
    idempotencyKey: string
  ): Promise<WriteResult<Schemas['Transfer']>> {
    if (input.amount !== undefined) this.checkAmount(input.amount)
    const post: PostInput = { transfer_id: transferId, amount: input.amount }
    return this.writer.submit({
      kind: 'post',
      key: requireKey(idempotencyKey),
      hash: requestHash('postTransfer', post),
      input: post,
    })
  }

  voidTransfer(
    transferId: string,
    idempotencyKey: string
  ): Promise<WriteResult<Schemas['Transfer']>> {
    return this.writer.submit({
      kind: 'void',
      key: requireKey(idempotencyKey),
      hash: requestHash('voidTransfer', { transfer_id: transferId }),
      transfer_id: transferId,
    })
  }

  reverseTransfer(
    transferId: string,
    input: Schemas['ReverseTransferRequest'],
    idempotencyKey: string
  ): Promise<WriteResult<Schemas['Transfer']>> {
    if (input.amount !== undefined) this.checkAmount(input.amount)
    const reverse: ReverseInput = { transfer_id: transferId, ...input }
    return this.writer.submit({
      kind: 'reverse',
      key: requireKey(idempotencyKey),
      hash: requestHash('reverseTransfer', reverse),
      id: uuidv7(),
      input: reverse,
    })
  }

  async getTransfer(id: string): Promise<Schemas['Transfer']> {
    return transferToWire(await this.transfers.get(id))
  }

  async listTransferEntries(id: string) {
    return { data: (await this.transfers.entriesByTransfer(id)).map(entryToWire) }
  }

  // Operations

  invariants(): Promise<Schemas['InvariantsReport']> {
    return checkInvariants(this.pool)
  }

  async health(): Promise<Schemas['Health']> {
    const database = await this.pool.query('SELECT 1').then(
      () => 'ok' as const,
      () => 'failing' as const
    )
    const writer = this.writer.isHalted ? ('halted' as const) : ('ok' as const)
    return {
      status: database === 'ok' && writer === 'ok' ? 'ok' : 'failing',
      checks: { database, writer },
    }
  }

  /** Refresh pool gauges; called when metrics are scraped. */
  observePool() {
    this.metrics.poolClients.set({ state: 'total' }, this.pool.totalCount)
    this.metrics.poolClients.set({ state: 'idle' }, this.pool.idleCount)
    this.metrics.poolClients.set({ state: 'waiting' }, this.pool.waitingCount)
  }

  /** Expire holds whose time is up. Every replica may sweep; the row locks make each expiry happen once. */
  async sweep(): Promise<void> {
    if (this.sweeping || this.closed) return
    this.sweeping = true
    try {
      const ids = await this.transfers.expiredPendingIds(expiry_sweep_count_max)
      await Promise.allSettled(
        ids.map((transfer_id) => this.writer.submit({ kind: 'expire', transfer_id }))
      )
      if (Math.random() < 0.01) await purgeStoredResponses(this.pool, this.idempotencyTtlHours)
    } catch {
      // The next tick tries again; a database outage is reported by /health.
    } finally {
      this.sweeping = false
    }
  }

  private checkTransferInput(input: Schemas['CreateTransferRequest']) {
    this.checkAmount(input.amount)
    if (!isKnownCurrency(input.currency))
      throw invalidField('currency', 'is not an ISO 4217 currency code')
    if (input.timeout_ms !== undefined && input.pending !== true) {
      throw invalidField('timeout_ms', 'is only allowed with pending: true')
    }
  }

  private checkAmount(amount: number) {
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > this.amountMax) {
      throw invalidField('amount', `must be an integer from 1 to ${this.amountMax} minor units`)
    }
  }
}

function requireKey(key: string | undefined): string {
  if (!key)
    throw new LedgerError(
      'idempotency_key_required',
      'send an Idempotency-Key header with this request'
    )
  return key
}

function invalidField(field: string, message: string): LedgerError {
  return new LedgerError('validation_failed', `${field} ${message}`, {
    errors: [{ field, message }],
  })
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return page_limit_default
  if (!Number.isInteger(limit) || limit < 1 || limit > page_limit_max) {
    throw invalidField('limit', `must be an integer from 1 to ${page_limit_max}`)
  }
  return limit
}
