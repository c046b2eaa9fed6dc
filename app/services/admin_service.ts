import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { ApiError, ledgerUnavailable } from '#exceptions/api_error'
import User from '#models/user'
import { audit } from '#services/audit_service'
import { decodeCursor, pageByTime, pageOf } from '#services/time_pages'
import {
  LedgerRefusal,
  LedgerUnavailable,
  type LedgerGateway,
  type LedgerTransfer,
} from '#services/ledger_gateway'
import { StatementService } from '#services/statement_service'
import { PaymentFollowUp } from '#services/payment_follow_up'
import {
  personOf,
  recordStaffMovement,
  staffMovementMetadata,
  type StaffMovement,
} from '#services/staff_movements'
import {
  newest_first,
  personTransfers,
  refusalCode,
  toRecord,
  withReversal,
  type TransferRecord,
} from '#services/transfer_service'
import { WalletService, toWallet } from '#services/wallet_service'
import { description_length_max } from '#validators/money_validators'
import { isUuid } from '#validators/uuid'

const invariants_report_ttl_ms = 15_000
let invariants_cache: {
  report: Awaited<ReturnType<LedgerGateway['invariants']>>
  until: number
} | null = null

interface Actor {
  user: User
  requestId?: string
}

/**
 * What support and admins do. Every change writes an audit row; where the
 * change lives in the app's database, in the same transaction.
 */
@inject()
export class AdminService {
  constructor(
    readonly wallets: WalletService,
    protected statements: StatementService
  ) {}

  async searchUsers(q: string | undefined, limit: number, cursor?: string) {
    const query = db.from('users').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query.where((w) => w.whereILike('email', like).orWhereILike('full_name', like))
    }
    return pageByTime(query, limit, cursor)
  }

  async userWithWallets(id: string) {
    const user = await this.findUser(id)
    return { user, wallets: await this.wallets.list(user.ownerRef) }
  }

  /**
   * Freeze or unfreeze a person, in the order that fails closed: a freeze
   * marks and audits the app record first (the API stops their payments),
   * then freezes their ledger accounts; an unfreeze opens the ledger
   * accounts first, then marks and audits the app record. If ledger-core
   * fails half way, the person stays frozen in the app, and what took
   * effect is in the audit log; repeating the request completes it.
   */
  async setFrozen(actor: Actor, id: string, frozen: boolean, reason: string) {
    const user = await this.findUser(id)
    refuseOwn(actor, user.id)
    if (frozen) await this.markFrozen(actor, user, true, reason)
    const ledger = await this.wallets.ledger()
    try {
      for (const account of await ledger.listAccounts(user.ownerRef)) {
        await ledger.setAccountStatus(account.id, frozen ? 'frozen' : 'active')
      }
    } catch (error) {
      throw await toApi(error)
    }
    if (!frozen) await this.markFrozen(actor, user, false, reason)
    return this.userWithWallets(user.id)
  }

  private async markFrozen(actor: Actor, user: User, frozen: boolean, reason: string) {
    await db.transaction(async (trx) => {
      await trx
        .from('users')
        .where('id', user.id)
        .update({ status: frozen ? 'frozen' : 'active', updated_at: new Date() })
      await audit.record(
        {
          actorId: actor.user.id,
          action: frozen ? 'user.freeze' : 'user.unfreeze',
          targetType: 'user',
          targetId: user.id,
          reason,
          requestId: actor.requestId,
        },
        trx
      )
    })
  }

  async listTransfers(filter: {
    user_id?: string
    kind?: string
    status?: 'completed' | 'reversed'
    currency?: string
    from?: Date
    to?: Date
    min_amount?: number
    max_amount?: number
    limit: number
    cursor?: string
  }) {
    const narrow = (query: DatabaseQueryBuilderContract) => {
      if (filter.status) {
        const reversal = db.from('transfers as r').whereRaw('r.reversal_of = transfers.id')
        if (filter.status === 'reversed') query.whereExists(reversal)
        else query.whereNotExists(reversal)
      }
      if (filter.kind) query.where('kind', filter.kind)
      if (filter.currency) query.where('currency', filter.currency)
      if (filter.from) query.where('created_at', '>=', filter.from)
      if (filter.to) query.where('created_at', '<', filter.to)
      if (filter.min_amount !== undefined) query.where('amount', '>=', filter.min_amount)
      if (filter.max_amount !== undefined) query.where('amount', '<=', filter.max_amount)
      return query
    }
    // One person's transfers are read from their own indexes, as their history is.
    const page = filter.user_id
      ? pageOf(
          await personTransfers(
            filter.user_id,
            'all',
            filter.limit,
            decodeCursor(filter.cursor),
            narrow
          ),
          filter.limit
        )
      : await pageByTime(
          narrow(withReversal(db.from('transfers')).orderBy(newest_first)),
          filter.limit,
          filter.cursor
        )
    return { data: page.data.map(toRecord) as TransferRecord[], next_cursor: page.next_cursor }
  }

  async transferDetail(id: string) {
    if (!isUuid(id)) throw new ApiError('not_found', 'No such transfer')
    const row = await withReversal(db.from('transfers')).where('id', id).first()
    if (!row) throw new ApiError('not_found', 'No such transfer')
    try {
      const ledger = await this.wallets.ledger()
      const [transfer, entries] = await Promise.all([
        ledger.getTransfer(id),
        ledger.listTransferEntries(id),
      ])
      const accounts = await Promise.all(entries.map((e) => ledger.getAccount(e.account_id)))
      const owners = await this.owners(accounts.map((a) => a.owner_ref))
      return {
        record: toRecord(row),
        ledger: transfer,
        entries: entries.map((e, i) => ({
          id: e.id,
          account_id: e.account_id,
          owner: owners.get(accounts[i]!.owner_ref)!,
          direction: e.direction,
          amount: e.amount,
          balance_after: e.balance_after,
          created_at: e.created_at,
        })),
      }
    } catch (error) {
      throw await toApi(error)
    }
  }

  /** A wallet's statement, for support: entries oldest first with the balance after each. */
  async walletStatement(walletId: string, from?: Date, to?: Date) {
    if (!isUuid(walletId)) throw new ApiError('not_found', 'No such wallet')
    let account
    try {
      account = await (await this.wallets.ledger()).getAccount(walletId)
    } catch (error) {
      throw await toApi(error)
    }
    if (!account.owner_ref.startsWith('user:')) throw new ApiError('not_found', 'No such wallet')
    return this.statements.ofAccount(account.id, account.currency, from, to)
  }

  /**
   * What the console's dashboard shows: money held per currency, today's
   * transfers and refusals, frozen people and the ledger's invariants.
   */
  async overview(since: Date) {
    const [moved, refused, people] = await Promise.all([
      db
        .from('transfers')
        .where('created_at', '>=', since)
        .groupBy('currency')
        .select('currency')
        .count('* as count')
        .sum('amount as amount'),
      db
        .from('refused_transfers')
        .where('created_at', '>=', since)
        .groupBy('code')
        .select('code')
        .count('* as count')
        .orderBy('code'),
      db
        .from('users')
        .select(
          db.raw('count(*)::int AS users'),
          db.raw(`count(*) FILTER (WHERE status = 'frozen')::int AS frozen_users`)
        )
        .first(),
    ])
    const report = await this.recentInvariants()
    const currencies = new Set([
      ...moved.map((m) => m.currency as string),
      ...(report?.currencies.map((c) => c.currency) ?? []),
    ])
    return {
      since: since.toISOString(),
      currencies: [...currencies].sort().map((currency) => {
        const m = moved.find((x) => x.currency === currency)
        const c = report?.currencies.find((x) => x.currency === currency)
        return {
          currency,
          held_for_users: c?.user_balance_sum ?? null,
          transfers_today: Number(m?.count ?? 0),
          moved_today: String(m?.amount ?? 0),
        }
      }),
      transfers_today: moved.reduce((n, m) => n + Number(m.count), 0),
      refused_today: refused.reduce((n, r) => n + Number(r.count), 0),
      refused_by_code: refused.map((r) => ({ code: r.code as string, count: Number(r.count) })),
      users: people.users as number,
      frozen_users: people.frozen_users as number,
      ledger: report
        ? { ok: report.ok, violations: report.violations.length, checked_at: report.checked_at }
        : null,
    }
  }

  /**
   * The invariants report is a full scan of the ledger (seconds at a million
   * accounts), and every open console asks for it twice a minute: one scan
   * serves everyone for invariants_report_ttl_ms. Null while ledger-core
   * cannot be reached.
   */
  private async recentInvariants() {
    if (invariants_cache && invariants_cache.until > Date.now()) return invariants_cache.report
    try {
      const report = await (await this.wallets.ledger()).invariants()
      invariants_cache = { report, until: Date.now() + invariants_report_ttl_ms }
      return report
    } catch (error) {
      if (error instanceof LedgerUnavailable) return null
      throw error
    }
  }

  /** Owner refs (`user:<id>`, `system:…`) as the console names them. */
  private async owners(refs: string[]) {
    const ids = refs.filter((r) => r.startsWith('user:')).map((r) => r.slice(5))
    const users = ids.length
      ? await db.from('users').whereIn('id', ids).select('id', 'full_name')
      : []
    return new Map(
      refs.map((ref) => {
        const user = users.find((u) => `user:${u.id}` === ref)
        return [
          ref,
          user
            ? { type: 'user' as const, id: user.id as string, name: user.full_name as string }
            : { type: 'system' as const, id: null, name: ref.replace(/^system:/, 'system: ') },
        ]
      })
    )
  }

  /**
   * Reverse a transfer in full. The idempotency key is the transfer itself,
   * so two admins clicking at once still reverse it once.
   */
  async reverse(actor: Actor, id: string, reason: string) {
    const { record } = await this.transferDetail(id)
    refuseOwn(actor, record.sender_id, record.receiver_id)
    if (record.kind === 'reversal')
      throw new ApiError('validation_failed', 'A reversal cannot be reversed')
    const movement = staffMovement(actor, 'reversal', record.receiver_id, record.sender_id, reason)
    const ledgerKey = `reversal:${id}`
    let result
    try {
      result = await (
        await this.wallets.ledger()
      ).reverseTransfer(
        id,
        {
          description: staffDescription('Reversal', reason),
          metadata: staffMovementMetadata(movement),
        },
        ledgerKey
      )
    } catch (error) {
      throw await toApi(error, { movement, ledgerKey })
    }
    await recordOrNote(result.body, movement)
    return result
  }

  /** Credit (positive) or debit (negative) a wallet against the system adjustments account. */
  async adjust(
    actor: Actor,
    walletId: string,
    amount: number,
    reason: string,
    idempotencyKey: string
  ) {
    if (!isUuid(walletId)) throw new ApiError('not_found', 'No such wallet')
    if (amount === 0) {
      throw new ApiError('validation_failed', 'An adjustment moves money', {
        errors: [{ field: 'amount', message: 'must not be 0' }],
      })
    }
    const ledger = await this.wallets.ledger()
    const ledgerKey = `adjustment:${walletId}:${idempotencyKey}`
    let movement: StaffMovement | undefined
    try {
      const wallet = await ledger.getAccount(walletId)
      const ownerId = wallet.owner_ref.startsWith('user:') ? wallet.owner_ref.slice(5) : null
      if (!ownerId) throw new ApiError('not_found', 'No such wallet')
      refuseOwn(actor, ownerId)
      const system = await ledger.ensureAccount({
        owner_ref: 'system:adjustments',
        currency: wallet.currency,
        kind: 'system',
        allow_negative: true,
      })
      const [debit, credit] = amount > 0 ? [system.id, wallet.id] : [wallet.id, system.id]
      movement = staffMovement(
        actor,
        'adjustment',
        amount > 0 ? null : ownerId,
        amount > 0 ? ownerId : null,
        reason
      )
      const result = await ledger.createTransfer(
        {
          debit_account_id: debit,
          credit_account_id: credit,
          amount: Math.abs(amount),
          currency: wallet.currency,
          description: staffDescription('Adjustment', reason),
          metadata: staffMovementMetadata(movement),
        },
        ledgerKey
      )
      await recordOrNote(result.body, movement)
      return { result, wallet: toWallet(await ledger.getAccount(walletId)) }
    } catch (error) {
      throw await toApi(error, { movement, ledgerKey, idempotencyKey })
    }
  }

  private async findUser(id: string) {
    if (!isUuid(id)) throw new ApiError('not_found', 'No such user')
    const user = await User.find(id)
    if (!user) throw new ApiError('not_found', 'No such user')
    return user
  }
}

/**
 * Separation of duties: staff never freeze, credit, debit or reverse for
 * themselves (the audit log would record it, but only after the money moved);
 * another member of staff does it.
 */
function refuseOwn(actor: Actor, ...people: (string | null)[]) {
  if (people.includes(actor.user.id))
    throw new ApiError('forbidden', 'Staff may not act on their own account or payments')
}

/**
 * History and audit rows of a movement ledger-core made. The answer says it
 * was made even when they cannot be written (an error would invite a second
 * one); the person is noted, and the follow-up writes both from the ledger.
 */
async function recordOrNote(t: LedgerTransfer, movement: StaffMovement) {
  await recordStaffMovement(t, movement).catch((error) =>
    PaymentFollowUp.noteUnwritten(personOf(movement), t, error, movement.request_id)
  )
}

function staffMovement(
  actor: Actor,
  kind: StaffMovement['kind'],
  senderId: string | null,
  receiverId: string | null,
  reason: string
): StaffMovement {
  return {
    kind,
    sender_id: senderId,
    receiver_id: receiverId,
    actor_id: actor.user.id,
    reason,
    request_id: actor.requestId,
  }
}

/**
 * A ledger failure as the API answers it. When a movement was asked for and
 * ledger-core may have made it, its person is noted for the follow-up, which
 * writes the history and audit rows from the ledger if it was made; the
 * answer carries the key that learns the outcome (adjustments; a reversal's
 * key is the transfer it reverses).
 */
async function toApi(
  error: unknown,
  asked: { movement?: StaffMovement; ledgerKey?: string; idempotencyKey?: string } = {}
) {
  const { movement, ledgerKey, idempotencyKey } = asked
  if (error instanceof ApiError) return error
  if (error instanceof LedgerUnavailable) {
    if (movement && ledgerKey && error.sent)
      await PaymentFollowUp.note(personOf(movement), { ledgerKey, requestId: movement.request_id })
    return ledgerUnavailable(error, idempotencyKey)
  }
  if (error instanceof LedgerRefusal) {
    if (error.code === 'account_not_found' || error.code === 'transfer_not_found')
      return new ApiError('not_found')
    if (error.code === 'already_reversed') return new ApiError('already_reversed', error.message)
    // A reversal's key is the transfer: another admin's, or another reason, reversed it first.
    if (error.code === 'idempotency_key_reused' && movement?.kind === 'reversal')
      return new ApiError('already_reversed', 'This transfer was already reversed')
    return new ApiError(refusalCode(error.code, 'validation_failed'), error.message)
  }
  return error as Error
}

/**
 * What people see in their history for money staff moved: the reason,
 * labelled. A reason too long for a description is cut at a whole
 * character (never half of an emoji's surrogate pair, which neither
 * ledger-core nor PostgreSQL can store) and ends with an ellipsis.
 */
function staffDescription(label: string, reason: string): string {
  const text = `${label}: ${reason}`
  if (text.length <= description_length_max) return text
  let cut = ''
  for (const { segment } of graphemes.segment(text)) {
    if (cut.length + segment.length > description_length_max - 1) break
    cut += segment
  }
  return `${cut}…`
}
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })
