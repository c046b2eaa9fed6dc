/**
 * The staff module: what support and admins look up (people, transfers,
 * statements, the ledger's health) and what they change (freezes,
 * reversals, adjustments), every change audited. It needs the ledger, the
 * wallets, the history and the audit log.
 */
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { ledger, LedgerUnavailable, type LedgerGateway } from '#ledger/ledger_gateway'
import { asApiError } from '#ledger/ledger_refusals'
import { newest_first, personTransfers, toRecord, withReversal } from '#history/history_reads'
import type { TransferRecord } from '#history/history_types'
import { decodeCursor, pageByTime, pageOf } from '#platform/time_pages'
import { StatementService } from '#wallets/statement_service'
import { WalletService } from '#wallets/wallet_service'
import { isUuid } from '#validators/uuid'

/** Who holds a ledger account, as the console names it. */
export type AccountOwner =
  { type: 'user'; id: string; name: string } | { type: 'system'; id: null; name: string }

const invariants_report_ttl_ms = 15_000
let invariants_cache: {
  report: Awaited<ReturnType<LedgerGateway['invariants']>>
  until: number
} | null = null

/** What support and admins look up: people, transfers, statements and the ledger's health. */
@inject()
export class StaffQueries {
  constructor(
    protected wallets: WalletService,
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
        const reversal = db
          .from('transfers as r')
          .whereRaw('r.reversal_of = transfers.id')
          .where('r.kind', 'reversal')
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

  /** A transfer as the app indexed it, with the reversal that undid it, if any. */
  async transferRecord(id: string): Promise<TransferRecord> {
    if (!isUuid(id)) throw new ApiError('not_found', 'No such transfer')
    const row = await withReversal(db.from('transfers')).where('id', id).first()
    if (!row) throw new ApiError('not_found', 'No such transfer')
    return toRecord(row)
  }

  async transferDetail(id: string) {
    const record = await this.transferRecord(id)
    try {
      const gateway = await ledger()
      const [transfer, entries] = await Promise.all([
        gateway.getTransfer(id),
        gateway.listTransferEntries(id),
      ])
      const accounts = await Promise.all(entries.map((e) => gateway.getAccount(e.account_id)))
      const owners = await this.owners(accounts.map((a) => a.owner_ref))
      return {
        record,
        ledger: transfer,
        entries: entries.map((entry, i) => ({
          entry,
          owner: owners.get(accounts[i]!.owner_ref)!,
        })),
      }
    } catch (error) {
      throw asApiError(error)
    }
  }

  /** A wallet's statement, for support: entries oldest first with the balance after each. */
  async walletStatement(walletId: string, from?: Date, to?: Date) {
    if (!isUuid(walletId)) throw new ApiError('not_found', 'No such wallet')
    let account
    try {
      account = await (await ledger()).getAccount(walletId)
    } catch (error) {
      throw asApiError(error)
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
      const report = await (await ledger()).invariants()
      invariants_cache = { report, until: Date.now() + invariants_report_ttl_ms }
      return report
    } catch (error) {
      if (error instanceof LedgerUnavailable) return null
      throw error
    }
  }

  /** Owner refs (`user:<id>`, `system:…`) as the console names them. */
  private async owners(refs: string[]): Promise<Map<string, AccountOwner>> {
    const ids = refs.filter((r) => r.startsWith('user:')).map((r) => r.slice(5))
    const users = ids.length
      ? await db.from('users').whereIn('id', ids).select('id', 'full_name')
      : []
    return new Map(
      refs.map((ref): [string, AccountOwner] => {
        const user = users.find((u) => `user:${u.id}` === ref)
        return [
          ref,
          user
            ? { type: 'user', id: user.id as string, name: user.full_name as string }
            : { type: 'system', id: null, name: ref.replace(/^system:/, 'system: ') },
        ]
      })
    )
  }

  /** The ledger's invariants, checked now (a full scan). */
  async invariants() {
    return (await ledger()).invariants()
  }

  async findUser(id: string) {
    if (!isUuid(id)) throw new ApiError('not_found', 'No such user')
    const user = await User.find(id)
    if (!user) throw new ApiError('not_found', 'No such user')
    return user
  }
}
