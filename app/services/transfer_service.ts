import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { ApiError, ledgerUnavailable, type ApiErrorCode } from '#exceptions/api_error'
import User from '#models/user'
import { transfersTotal } from '#services/api_metrics'
import { history, type HistoryRow } from '#services/history_writer'
import { decodeCursor, pageOf } from '#services/time_pages'
import { PaymentFollowUp } from '#services/payment_follow_up'
import { LedgerRefusal, LedgerUnavailable, type LedgerTransfer } from '#services/ledger_gateway'
import { WalletService, supported_currencies } from '#services/wallet_service'
import { normalizeEmail } from '#validators/email'

export interface SendMoney {
  receiver_email?: string
  receiver_id?: string
  amount: number
  currency?: string
  description?: string
}

export interface TransferRecord {
  id: string
  kind: 'p2p' | 'deposit' | 'reversal' | 'adjustment'
  sender_id: string | null
  receiver_id: string | null
  amount: number
  currency: string
  description: string | null
  created_at: Date
  /** The id of the reversal that undid it, if one did. */
  reversed_by: string | null
}

/** Ledger refusals as the public API names them. */
const refusal_codes: Record<string, ApiErrorCode> = {
  insufficient_funds: 'insufficient_funds',
  account_frozen: 'account_frozen',
  account_closed: 'account_frozen',
  currency_mismatch: 'currency_not_supported',
  idempotency_key_reused: 'idempotency_key_reused',
  idempotency_key_in_use: 'idempotency_key_in_use',
  validation_failed: 'validation_failed',
}

/** The public code of a ledger-core refusal; `fallback` for one no caller input explains. */
export function refusalCode(code: string, fallback: ApiErrorCode): ApiErrorCode {
  return refusal_codes[code] ?? fallback
}

/**
 * Receivers looked up in the last few seconds, by id and by email. Ids,
 * emails and names never change; a status may, so a remembered receiver is
 * only trusted to be active: ledger-core refuses money into a frozen account
 * whatever the app believes (a freeze reaches the ledger accounts in the
 * same request that marks the person).
 */
class ReceiverCache {
  readonly #entries = new Map<string, { user: User; until: number }>()

  async find(input: SendMoney, fresh = false): Promise<User | null> {
    const key = input.receiver_id ?? `email:${normalizeEmail(input.receiver_email!)}`
    const hit = this.#entries.get(key)
    if (!fresh && hit && hit.until > Date.now()) return hit.user
    const user = input.receiver_id
      ? await User.find(input.receiver_id)
      : await User.findBy('email', normalizeEmail(input.receiver_email!))
    if (user) {
      if (this.#entries.size >= receiver_cache_count_max)
        this.#entries.delete(this.#entries.keys().next().value!)
      this.#entries.set(key, { user, until: Date.now() + receiver_cache_ttl_ms })
    }
    return user
  }
}
const receiver_cache_count_max = 10_000
const receiver_cache_ttl_ms = 5_000
const receivers = new ReceiverCache()

/** Business refusals support wants to see; retryable failures (503, 409) are not refusals. */
const refusals_kept = new Set<ApiErrorCode>([
  'insufficient_funds',
  'account_frozen',
  'receiver_not_found',
  'self_transfer',
  'currency_not_supported',
  'wallet_not_found',
])

/**
 * Moving money for users. ledger-core decides and records; this service
 * resolves people to wallets, scopes idempotency keys to the caller, and
 * keeps the app's index of who sent what to whom.
 */
@inject()
export class TransferService {
  constructor(protected wallets: WalletService) {}

  async send(sender: User, input: SendMoney, idempotencyKey?: string) {
    const currency = input.currency ?? 'USD'
    // Currencies come from callers: unknown ones share one label, so a metric cannot be flooded.
    const label = supported_currencies.has(currency) ? currency : 'other'
    try {
      const result = await this.sendOrRefuse(sender, input, idempotencyKey)
      if (!result.replayed)
        transfersTotal.inc({ kind: 'p2p', currency: label, outcome: 'completed' })
      return result
    } catch (error) {
      if (error instanceof ApiError)
        transfersTotal.inc({ kind: 'p2p', currency: label, outcome: error.code })
      if (error instanceof ApiError && refusals_kept.has(error.code)) {
        // Kept for support; failing to keep it must not change the person's answer.
        await db
          .table('refused_transfers')
          .insert({
            id: randomUUID(),
            sender_id: sender.id,
            code: error.code,
            amount: input.amount,
            currency,
            created_at: new Date(),
          })
          .catch((failure: Error) =>
            logger.warn({ err: { message: failure.message } }, 'refusal not recorded')
          )
      }
      throw error
    }
  }

  private async sendOrRefuse(sender: User, input: SendMoney, idempotencyKey?: string) {
    const currency = input.currency ?? 'USD'
    let receiver = await receivers.find(input)
    if (!receiver) throw new ApiError('receiver_not_found')
    if (receiver.id === sender.id) throw new ApiError('self_transfer')
    // Remembered rows may be a few seconds old: look again before refusing.
    if (receiver.status === 'frozen') receiver = (await receivers.find(input, true))!
    if (sender.status === 'frozen') sender = (await User.find(sender.id)) ?? sender
    if (sender.status === 'frozen' || receiver.status === 'frozen') {
      const frozen = [sender, receiver].filter((person) => person.status === 'frozen')
      await this.refuseUnlessLedgerDecides(frozen, currency, idempotencyKey)
    }

    // Decided before any wallet lookup, so the answer does not depend on which finishes first.
    this.wallets.requireSupported(currency)
    const [debit, credit] = await Promise.all([
      this.wallets.heldAccountId(sender.ownerRef, currency),
      this.wallets.accountId(receiver.ownerRef, currency),
    ])
    const result = await this.move(
      {
        debit_account_id: debit,
        credit_account_id: credit,
        amount: input.amount,
        currency,
        description: input.description,
        metadata: { kind: 'p2p', sender_id: sender.id, receiver_id: receiver.id },
      },
      { kind: 'p2p', payerId: sender.id },
      idempotencyKey
    )
    await indexPayment(result.body, {
      kind: 'p2p',
      sender_id: sender.id,
      receiver_id: receiver.id,
    })
    return { ...result, sender, receiver }
  }

  /**
   * Someone in this payment is frozen, so no new payment may be made. But
   * a retry of one made before the freeze must get its first answer back:
   * a client that lost it would otherwise take a 403 to mean the payment
   * failed. ledger-core answers both rightly once each frozen person's
   * account is frozen there too, as a freeze leaves it: it replays a key it
   * holds and refuses any other. Without the caller's key (nothing to
   * replay), or while a freeze is half done, the API refuses by itself.
   */
  private async refuseUnlessLedgerDecides(
    frozen: User[],
    currency: string,
    idempotencyKey?: string
  ) {
    if (idempotencyKey === undefined) throw new ApiError('account_frozen')
    const ledger = await this.wallets.ledger()
    for (const person of frozen) {
      const accounts = await ledger.listAccounts(person.ownerRef)
      const account = accounts.find((a) => a.currency === currency)
      if (!account || account.status === 'active') throw new ApiError('account_frozen')
    }
  }

  /** Sandbox money from the system funding account of the currency. */
  async deposit(user: User, amount: number, currency: string, idempotencyKey?: string) {
    const funding = await (
      await this.wallets.ledger()
    ).ensureAccount({
      owner_ref: `system:funding`,
      currency,
      kind: 'system',
      allow_negative: true,
    })
    const credit = await this.wallets.openUnlessFrozen(user, currency)
    const result = await this.move(
      {
        debit_account_id: funding.id,
        credit_account_id: credit,
        amount,
        currency,
        description: 'Sandbox deposit',
        metadata: { kind: 'deposit', receiver_id: user.id },
      },
      { kind: 'deposit', payerId: user.id },
      idempotencyKey
    )
    await indexPayment(result.body, { kind: 'deposit', sender_id: null, receiver_id: user.id })
    if (!result.replayed) transfersTotal.inc({ kind: 'deposit', currency, outcome: 'completed' })
    return result
  }

  async findForUser(user: User, id: string): Promise<TransferRecord> {
    const row = await withReversal(db.from('transfers'))
      .where('id', id)
      .where((q) => q.where('sender_id', user.id).orWhere('receiver_id', user.id))
      .first()
    // The same answer whether it does not exist or belongs to someone else.
    if (!row) throw new ApiError('not_found', 'No such transfer')
    return toRecord(row)
  }

  /** Newest first, in pages keyed on (created_at, id). */
  async listForUser(
    user: User,
    direction: 'sent' | 'received' | 'all',
    limit: number,
    cursor?: string
  ) {
    const page = pageOf(
      await personTransfers(user.id, direction, limit, decodeCursor(cursor)),
      limit
    )
    return { data: page.data.map(toRecord), next_cursor: page.next_cursor }
  }

  /**
   * Asks ledger-core to move money under the caller's idempotency key, scoped
   * to the kind of payment and the payer; without one, a fresh key is chosen.
   * When the outcome is not known, the key is sent back so the caller can
   * still learn it, and the payment is noted for the follow-up that puts its
   * history row in place if it was made.
   */
  private async move(
    input: Parameters<import('#services/ledger_gateway').LedgerGateway['createTransfer']>[0],
    payment: { kind: 'p2p' | 'deposit'; payerId: string },
    idempotencyKey: string = randomUUID()
  ) {
    const key = `${payment.kind}:${payment.payerId}:${idempotencyKey}`
    try {
      return await (await this.wallets.ledger()).createTransfer(input, key)
    } catch (error) {
      if (error instanceof LedgerUnavailable) {
        if (error.sent) await PaymentFollowUp.note(payment.payerId)
        throw ledgerUnavailable(error, idempotencyKey)
      }
      if (error instanceof LedgerRefusal) {
        throw new ApiError(refusalCode(error.code, 'internal_error'), error.message)
      }
      throw error
    }
  }
}

/**
 * Index a ledger transfer under the people it concerns; true when this call
 * wrote it (false for a replay, which must not be counted or audited twice).
 */
export async function recordTransfer(
  t: LedgerTransfer,
  people: { kind: TransferRecord['kind']; sender_id: string | null; receiver_id: string | null },
  client: TransactionClientContract | typeof db = db
): Promise<boolean> {
  const inserted = await client
    .table('transfers')
    .insert(historyRow(t, people))
    .onConflict('id')
    .ignore()
    .returning('id')
  return inserted.length > 0
}

/**
 * Index a payment's transfer for its people's history, batched with the
 * payments made at the same moment (see HistoryWriter). For the hot path:
 * it does not say whether this call wrote the row.
 *
 * It never fails the payment: ledger-core made it, so the answer must say
 * so (an error would make a client without a key pay again). A row that
 * cannot be written is noted for the follow-up, which writes it from the
 * ledger once the database takes it.
 */
export async function indexPayment(
  t: LedgerTransfer,
  people: { kind: TransferRecord['kind']; sender_id: string | null; receiver_id: string | null }
) {
  await history
    .write(historyRow(t, people))
    .catch((error) =>
      PaymentFollowUp.noteUnwritten((people.sender_id ?? people.receiver_id)!, t, error)
    )
}

function historyRow(
  t: LedgerTransfer,
  people: { kind: TransferRecord['kind']; sender_id: string | null; receiver_id: string | null }
): HistoryRow {
  return {
    id: t.id,
    kind: people.kind,
    sender_id: people.sender_id,
    receiver_id: people.receiver_id,
    amount: t.amount,
    currency: t.currency,
    description: t.description,
    reversal_of: t.reversal_of,
    created_at: t.created_at,
  }
}

export function toRecord(row: any): TransferRecord {
  return {
    id: row.id,
    kind: row.kind,
    sender_id: row.sender_id,
    receiver_id: row.receiver_id,
    amount: Number(row.amount),
    currency: row.currency,
    description: row.description,
    created_at: row.created_at,
    reversed_by: row.reversed_by ?? null,
  }
}

/**
 * The transfers a person is part of, newest first, with their reversals:
 * at most a page (`limit` + 1) after the cursor, for `pageOf`. Each
 * side of a payment reads a page's worth from its own (person,
 * created_at, id) index, so a page costs the same however long the
 * history is; both sides together are merged from those two pages, never
 * from every row the person ever had, sorted. `narrow` adds a caller's
 * filters to each side.
 */
export function personTransfers(
  personId: string,
  direction: 'sent' | 'received' | 'all',
  limit: number,
  after: [string, string] | undefined,
  narrow: (query: DatabaseQueryBuilderContract) => DatabaseQueryBuilderContract = (q) => q
) {
  const side = (column: 'sender_id' | 'receiver_id') => {
    const query = narrow(db.from('transfers').where(column, personId))
    if (after) query.whereRaw('(created_at, id) < (?, ?)', after)
    return db.from(
      query
        .orderBy(newest_first)
        .limit(limit + 1)
        .as(column)
    )
  }
  // No transfer is between a person and themself, so no row is on both sides.
  const source =
    direction === 'sent'
      ? side('sender_id')
      : direction === 'received'
        ? side('receiver_id')
        : side('sender_id').unionAll(side('receiver_id'))
  return withReversal(db.from(source.as('transfers')))
    .orderBy(newest_first)
    .limit(limit + 1)
}

export const newest_first = [
  { column: 'created_at', order: 'desc' as const },
  { column: 'id', order: 'desc' as const },
]

/** Select a transfers query's rows with the id of the reversal that undid each, if any. */
export function withReversal(query: DatabaseQueryBuilderContract) {
  return query.select(
    'transfers.*',
    db.raw(
      '(SELECT r.id FROM transfers r WHERE r.reversal_of = transfers.id LIMIT 1) AS reversed_by'
    )
  )
}
