import pg from 'pg'
import { Book } from '../domain/book.ts'
import { InvariantViolation, LedgerError, invariant } from '../domain/errors.ts'
import {
  writer_batch_op_count_max,
  writer_batch_transfer_count_max,
  writer_locked_batch_count_max,
  writer_queue_op_count_max,
  writer_retry_count_max,
} from '../domain/limits.ts'
import type {
  AccountState,
  PostInput,
  ReverseInput,
  Transfer,
  TransferInput,
} from '../domain/types.ts'
import type { LedgerMetrics } from '../metrics.ts'
import {
  database_connect_timeout_ms,
  database_query_timeout_ms,
  isConnectionError,
} from '../store/connection_errors.ts'
import { WriterStore, type StoredAnswer, type StoredResponse } from '../store/writer_store.ts'
import type { components } from '../contract/types.ts'
import { transferToWire, type WireTransfer } from './wire.ts'

/** One request to the writer. `key`/`hash` are absent only for internal work (expiry). */
export type WriteOp =
  | { kind: 'create'; key: string; hash: string; id: string; input: TransferInput }
  | { kind: 'batch'; key: string; hash: string; ids: string[]; inputs: TransferInput[] }
  | { kind: 'post'; key: string; hash: string; input: PostInput }
  | { kind: 'void'; key: string; hash: string; transfer_id: string }
  | { kind: 'reverse'; key: string; hash: string; id: string; input: ReverseInput }
  | { kind: 'expire'; key?: undefined; hash?: undefined; transfer_id: string }

/** What each kind of write answers with when it succeeds. */
interface WriteBodies {
  create: WireTransfer
  batch: components['schemas']['TransferBatch']
  post: WireTransfer
  void: WireTransfer
  reverse: WireTransfer
  expire: { expired: string } | null
}

export interface WriteResult<Body = WriteBodies[WriteOp['kind']]> {
  status: number
  body: Body
  replayed: boolean
}

interface Queued {
  op: WriteOp
  /** Each op's body is the one WriteBodies names for its kind (see `outcome`). */
  resolve(result: WriteResult<any>): void
  reject: (error: Error) => void
}

type Outcome =
  { ok: true; status: number; body: any; replayed: boolean } | { ok: false; error: LedgerError }

/**
 * The single writer of this process: it groups every money-moving request
 * that arrives while the previous batch commits into one database transaction
 * (group commit). Each request still gets its own outcome; a failing one
 * never fails its neighbours; nothing is answered before its COMMIT returns.
 */
export interface WriterMode {
  /** Connections writing at once. */
  lanes: number
  /** Operations per database transaction at most. */
  batchMax: number
}

/** The design: one writer, group commit. */
export const batched_mode: WriterMode = { lanes: 1, batchMax: writer_batch_op_count_max }
/** The classic design, kept to measure against: one transaction per transfer, many at once. */
export const per_transfer_mode: WriterMode = { lanes: 16, batchMax: 1 }

export class Writer {
  private readonly queue: Queued[] = []
  private readonly inFlightKeys = new Set<string>()
  private readonly clients: (pg.Client | null)[]
  private readonly busyLanes = new Set<number>()
  private halted: Error | null = null
  /** Batches still to run under locks from the start, after one met another process's write. */
  private lockedBatchesLeft = 0
  /** How many batches the next conflict locks: doubles while conflicts go on, back to 1 when not. */
  private lockedRun = 1
  private idle: Promise<void> = Promise.resolve()
  private wakeIdle: (() => void) | null = null
  private readonly connectionString: string
  private readonly metrics: LedgerMetrics
  private readonly log: (level: 'error' | 'fatal', message: string, error?: unknown) => void
  private readonly mode: WriterMode

  constructor(
    connectionString: string,
    metrics: LedgerMetrics,
    log: Writer['log'],
    mode: WriterMode = batched_mode
  ) {
    this.connectionString = connectionString
    this.metrics = metrics
    this.log = log
    this.mode = mode
    this.clients = new Array(mode.lanes).fill(null)
  }

  get isHalted(): boolean {
    return this.halted !== null
  }

  submit<Op extends WriteOp>(op: Op): Promise<WriteResult<WriteBodies[Op['kind']]>> {
    if (this.halted) {
      return Promise.reject(
        new LedgerError('service_unavailable', 'the ledger writer is halted; see the logs')
      )
    }
    if (this.queue.length >= writer_queue_op_count_max) {
      return Promise.reject(
        new LedgerError('service_unavailable', 'the ledger is overloaded; retry with the same key')
      )
    }
    if (op.key !== undefined) {
      if (this.inFlightKeys.has(op.key)) {
        return Promise.reject(
          new LedgerError(
            'idempotency_key_in_use',
            'a request with this idempotency key is still running'
          )
        )
      }
      this.inFlightKeys.add(op.key)
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject })
      this.metrics.queueDepth.set(this.queue.length)
      if (this.busyLanes.size < this.mode.lanes) void this.drain()
    })
  }

  /** Resolves once every queued operation has been answered. */
  async flush(): Promise<void> {
    while (this.busyLanes.size > 0) await this.idle
  }

  async close(): Promise<void> {
    await this.flush()
    await Promise.all(this.clients.map((client) => client?.end().catch(() => {})))
    this.clients.fill(null)
  }

  private async drain() {
    let lane = 0
    while (this.busyLanes.has(lane)) lane++
    if (this.busyLanes.size === 0) this.idle = new Promise((resolve) => (this.wakeIdle = resolve))
    this.busyLanes.add(lane)
    try {
      // While this batch commits, new requests queue up and form the next one.
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.nextBatchLength())
        this.metrics.queueDepth.set(this.queue.length)
        await this.runBatch(batch, lane)
      }
    } finally {
      this.busyLanes.delete(lane)
      if (this.busyLanes.size === 0) this.wakeIdle?.()
    }
  }

  /** How many queued operations the next statement takes: up to batchMax, and about writer_batch_transfer_count_max transfers. */
  private nextBatchLength(): number {
    let length = 0
    let transfers = 0
    while (length < this.queue.length && length < this.mode.batchMax) {
      const op = this.queue[length]!.op
      transfers += op.kind === 'batch' ? op.inputs.length : 1
      if (length > 0 && transfers > writer_batch_transfer_count_max) break
      length++
    }
    return length
  }

  private async runBatch(batch: Queued[], lane: number) {
    const started = performance.now()
    try {
      const outcomes = await this.runWithRetries(
        batch.map((q) => q.op),
        lane
      )
      this.metrics.batchSize.observe(batch.length)
      this.metrics.batchDuration.observe((performance.now() - started) / 1000)
      batch.forEach((queued, i) => this.answer(queued, outcomes[i]!))
    } catch (error) {
      if (batch.length > 1 && !(error instanceof InvariantViolation) && !isConnectionError(error)) {
        // An unexpected database error: find the operation that causes it by
        // running each alone, so its neighbours still succeed.
        for (const queued of batch) await this.runBatch([queued], lane)
        return
      }
      const answer =
        error instanceof InvariantViolation || !isConnectionError(error)
          ? new LedgerError(
              'internal_error',
              'the ledger could not apply this request; nothing was written'
            )
          : new LedgerError(
              'service_unavailable',
              'the ledger lost its database connection; retry with the same key'
            )
      if (error instanceof InvariantViolation) {
        this.halted = error
        this.log('fatal', 'ledger writer halted on a broken invariant', error)
      } else {
        this.log('error', 'ledger writer batch failed', error)
      }
      for (const queued of batch) {
        this.release(queued.op)
        queued.reject(answer)
      }
    }
  }

  private answer(queued: Queued, outcome: Outcome) {
    this.release(queued.op)
    this.metrics.operations.inc({
      kind: queued.op.kind,
      outcome: outcome.ok ? 'ok' : outcome.error.code,
    })
    if (outcome.ok)
      queued.resolve({ status: outcome.status, body: outcome.body, replayed: outcome.replayed })
    else queued.reject(outcome.error)
  }

  private release(op: WriteOp) {
    if (op.key !== undefined) this.inFlightKeys.delete(op.key)
  }

  private async runWithRetries(ops: WriteOp[], lane: number): Promise<Outcome[]> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connection(lane)
      const store = new WriterStore(client)
      // The first attempt reads without locks and commits in one statement;
      // after a conflict with another process, the batch runs under locks.
      // While conflicts go on (two processes on one hot account), the next
      // batches lock from the start instead of failing first: 1, 2, 4 … 64
      // of them after each conflict, as long as conflicts keep coming.
      const locked = attempt > 1 || this.lockedBatchesLeft > 0
      try {
        if (locked) await client.query('BEGIN')
        const outcomes = await this.applyBatch(store, ops, locked)
        if (locked) await client.query('COMMIT')
        this.learnContention(attempt, locked)
        this.countTransfers(outcomes)
        return outcomes
      } catch (error) {
        if (locked) await this.rollback(lane, client, error)
        else if (isConnectionError(error)) this.drop(lane, client)
        if (attempt < writer_retry_count_max && isRetryable(error)) {
          // Nothing of this batch was written: run it again.
          this.metrics.batchRetries.inc()
          continue
        }
        if (isCheckViolation(error)) {
          throw new InvariantViolation(`the database refused a batch: ${(error as Error).message}`)
        }
        throw error
      }
    }
  }

  private async applyBatch(
    store: WriterStore,
    ops: WriteOp[],
    locked: boolean
  ): Promise<Outcome[]> {
    const keys = ops.flatMap((op) => (op.key === undefined ? [] : [op.key]))
    const transferIds = sortedUnique(ops.flatMap(referencedTransfer))
    const accountIds = sortedUnique(ops.flatMap(referencedAccounts))
    const read = locked
      ? await store.lockedSnapshot(keys, transferIds, accountIds)
      : await store.snapshot(keys, transferIds, accountIds)

    const book = new Book(
      read.accounts.map((a) => ({ ...a })),
      read.transfers.map((t) => ({ ...t })),
      read.now
    )
    const sumsBefore = sumByCurrency(read.accounts)
    const outcomes: Outcome[] = []
    const responses: StoredAnswer[] = []
    for (const op of ops) {
      const previous = op.key === undefined ? undefined : read.responses.get(op.key)
      if (previous) {
        outcomes.push(replay(op, previous))
        continue
      }
      const outcome = apply(book, op)
      outcomes.push(outcome)
      if (op.key !== undefined) responses.push(answerOf(op, outcome))
    }
    const sumsAfter = sumByCurrency(book.accounts.values())
    for (const [currency, sum] of sumsBefore) {
      invariant(sumsAfter.get(currency) === sum, `batch changed the ${currency} balance sum`)
    }
    await store.write(book, read, responses)
    return outcomes
  }

  private learnContention(attempt: number, locked: boolean) {
    if (attempt > 1) {
      this.lockedBatchesLeft = this.lockedRun
      this.lockedRun = Math.min(this.lockedRun * 2, writer_locked_batch_count_max)
    } else if (locked) {
      this.lockedBatchesLeft--
    } else {
      this.lockedRun = 1
    }
  }

  private countTransfers(outcomes: Outcome[]) {
    for (const outcome of outcomes) {
      if (!outcome.ok || outcome.replayed || !outcome.body) continue
      const created: any[] =
        outcome.body.transfers ?? (outcome.status === 201 ? [outcome.body] : [])
      for (const t of created)
        this.metrics.transfers.inc({ status: t.status, currency: t.currency })
    }
  }

  private async connection(lane: number): Promise<pg.Client> {
    const existing = this.clients[lane]
    if (existing) return existing
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'ledger-writer',
      connectionTimeoutMillis: database_connect_timeout_ms,
      query_timeout: database_query_timeout_ms,
      // The writer only touches rows by primary key. The planner cannot know
      // how many rows a JSON batch holds, and a prepared statement keeps the
      // plan made while tables were small; either way it would scan whole
      // tables to join a handful of rows.
      options: '-c enable_hashjoin=off -c enable_mergejoin=off -c enable_seqscan=off',
    })
    // A dead connection is noticed on the next query; this only keeps the
    // process alive when the socket errors while idle.
    client.on('error', (error) => {
      this.log('error', 'ledger writer connection failed', error)
      this.forget(lane, client)
    })
    await client.connect()
    this.clients[lane] = client
    return client
  }

  private forget(lane: number, client: pg.Client) {
    if (this.clients[lane] === client) this.clients[lane] = null
  }

  /**
   * A connection that failed or stopped answering is closed, not reused. Not
   * awaited: a stalled one closes only when the database wakes.
   */
  private drop(lane: number, client: pg.Client) {
    this.forget(lane, client)
    void client.end().catch(() => {})
  }

  private async rollback(lane: number, client: pg.Client, cause: unknown) {
    if (isConnectionError(cause)) return this.drop(lane, client)
    await client.query('ROLLBACK').catch(() => this.drop(lane, client))
  }
}

function apply(book: Book, op: WriteOp): Outcome {
  try {
    return book.atomically(() => applyOne(book, op))
  } catch (error) {
    if (error instanceof LedgerError) return { ok: false, error }
    throw error
  }
}

function applyOne(book: Book, op: WriteOp): Outcome {
  switch (op.kind) {
    case 'create':
      return succeeded(201, transferToWire(book.createTransfer(op.input, op.id, op.key)))
    case 'batch': {
      const transfers = op.inputs.map((input, index) => {
        try {
          return transferToWire(
            book.createTransfer(input, op.ids[index]!, index === 0 ? op.key : null)
          )
        } catch (error) {
          throw error instanceof LedgerError ? error.withIndex(index) : error
        }
      })
      return succeeded(201, { transfers })
    }
    case 'post':
      return succeeded(200, transferToWire(book.postTransfer(op.input)))
    case 'void':
      return succeeded(200, transferToWire(book.voidTransfer(op.transfer_id)))
    case 'reverse':
      return succeeded(201, transferToWire(book.reverseTransfer(op.input, op.id, op.key)))
    case 'expire':
      return succeeded(
        200,
        book.expireTransfer(op.transfer_id) ? { expired: op.transfer_id } : null
      )
  }
}

function succeeded(status: number, body: any): Outcome {
  return { ok: true, status, body, replayed: false }
}

/** What to keep under a write's key: its transfers' ids when it succeeded, its problem otherwise. */
function answerOf(op: WriteOp & { key: string }, outcome: Outcome): StoredAnswer {
  const stored = { key: op.key, request_hash: op.hash }
  if (!outcome.ok) {
    return {
      ...stored,
      status_code: outcome.error.status,
      response: problemOf(outcome.error),
      transfer_ids: null,
    }
  }
  const transfer_ids: string[] =
    op.kind === 'batch' ? outcome.body.transfers.map((t: WireTransfer) => t.id) : [outcome.body.id]
  return { ...stored, status_code: outcome.status, response: null, transfer_ids }
}

/**
 * The first answer to a write, rebuilt from the transfers it names: each as
 * it stood right after that write, whatever happened to it since. Only the
 * lifecycle fields of a transfer ever change, and the write's own request
 * (the same one, as its hash matched) says which state it left.
 */
function rebuiltBody(op: WriteOp, transfers: Transfer[]) {
  const created = (t: Transfer, pending: boolean): Transfer => ({
    ...t,
    status: pending ? 'pending' : 'posted',
    posted_amount: pending ? null : t.amount,
    reversed_amount: 0,
    posted_at: pending ? null : t.created_at,
    updated_at: t.created_at,
  })
  const [first] = transfers
  invariant(first !== undefined, `the stored answer of ${op.key} names no transfer`)
  switch (op.kind) {
    case 'create':
      return transferToWire(created(first, op.input.pending === true))
    case 'batch':
      return {
        transfers: transfers.map((t, i) =>
          transferToWire(created(t, op.inputs[i]!.pending === true))
        ),
      }
    case 'reverse':
      return transferToWire(created(first, false))
    case 'post':
      // After posting, only a reversal changes a transfer.
      return transferToWire({ ...first, reversed_amount: 0, updated_at: first.posted_at! })
    case 'void':
      // A voided transfer never changes again.
      return transferToWire(first)
    case 'expire':
      throw new InvariantViolation('expiry is internal and has no idempotency key')
  }
}

function replay(op: WriteOp, previous: StoredResponse): Outcome {
  if (previous.request_hash !== op.hash) {
    return {
      ok: false,
      error: new LedgerError(
        'idempotency_key_reused',
        'this idempotency key was used for a different request'
      ),
    }
  }
  if (previous.status_code < 400) {
    const body = previous.transfer_ids ? rebuiltBody(op, previous.transfers) : previous.response
    return { ok: true, status: previous.status_code, body, replayed: true }
  }
  const stored = previous.response
  return {
    ok: false,
    error: new LedgerError(stored.code, stored.detail, {
      errors: stored.errors,
      index: stored.index,
      replayed: true,
    }),
  }
}

function problemOf(error: LedgerError) {
  return { code: error.code, detail: error.message, errors: error.errors, index: error.index }
}

function referencedTransfer(op: WriteOp): string[] {
  switch (op.kind) {
    case 'post':
      return [op.input.transfer_id]
    case 'void':
    case 'expire':
      return [op.transfer_id]
    case 'reverse':
      return [op.input.transfer_id]
    default:
      return []
  }
}

/** Accounts an operation names itself; those of referenced transfers are read with them. */
function referencedAccounts(op: WriteOp): string[] {
  switch (op.kind) {
    case 'create':
      return [op.input.debit_account_id, op.input.credit_account_id]
    case 'batch':
      return op.inputs.flatMap((t) => [t.debit_account_id, t.credit_account_id])
    case 'reverse':
      return op.input.cover_account_id ? [op.input.cover_account_id] : []
    default:
      return []
  }
}

function sortedUnique(ids: string[]): string[] {
  return [...new Set(ids)].sort()
}

function sumByCurrency(accounts: Iterable<AccountState>): Map<string, number> {
  const sums = new Map<string, number>()
  for (const a of accounts) sums.set(a.currency, (sums.get(a.currency) ?? 0) + a.balance)
  return sums
}

function pgCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code
}

/**
 * Errors that mean another process wrote first, so this batch wrote nothing
 * and must run again: a changed row (40001), a lock cycle (40P01), or a unique
 * row it also wrote (23505: the same idempotency key, or the entries of a
 * pending transfer that another process posted in the meantime).
 */
function isRetryable(error: unknown): boolean {
  const code = pgCode(error)
  return code === '40P01' || code === '40001' || code === '23505'
}

function isCheckViolation(error: unknown): boolean {
  return pgCode(error) === '23514'
}
