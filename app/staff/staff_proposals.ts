import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import { audit } from '#audit/audit_log'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import { ledger } from '#ledger/ledger_gateway'
import { clock } from '#platform/clock'
import { pageByTime } from '#platform/time_pages'
import { refuseOwn, StaffActions, type Actor } from '#staff/staff_actions'
import { StaffQueries } from '#staff/staff_queries'
import { isUuid } from '#validators/uuid'

export type ProposalStatus = 'pending' | 'approved' | 'rejected' | 'expired'

export interface ProposalRow {
  id: string
  kind: 'adjustment' | 'reversal'
  target_id: string
  amount: string | number
  currency: string
  reason: string
  idempotency_key: string
  proposed_by: string
  status: ProposalStatus
  decided_by: string | null
  decision_reason: string | null
  transfer_id: string | null
  expires_at: Date
  created_at: Date
  decided_at: Date | null
}

/** A pending proposal past its time is expired, whether or not a write said so yet. */
export function proposalStatusOf(row: ProposalRow): ProposalStatus {
  return row.status === 'pending' && new Date(row.expires_at).getTime() <= clock.now()
    ? 'expired'
    : row.status
}

/**
 * Two-person approval of staff money: an adjustment or a reversal above
 * the currency's threshold becomes a proposal, and only a second admin's
 * approval moves the money, under a ledger key of the proposal (or the
 * transfer), so approving twice, or two admins at once, moves it once.
 * Below the threshold one admin acts, as before.
 */
@inject()
export class StaffProposals {
  constructor(
    protected actions: StaffActions,
    protected queries: StaffQueries
  ) {}

  needsApproval(amount: number, currency: string) {
    return Math.abs(amount) > paymentsConfig.staffApprovalThresholds.of(currency)
  }

  /** An adjustment: made now below the threshold, else proposed (`proposal` in the answer). */
  async adjust(actor: Actor, walletId: string, amount: number, reason: string, key: string) {
    if (!isUuid(walletId)) throw new ApiError('not_found', 'No such wallet')
    const wallet = await (await ledger()).getAccount(walletId).catch(() => null)
    if (!wallet || !wallet.owner_ref.startsWith('user:'))
      throw new ApiError('not_found', 'No such wallet')
    if (!this.needsApproval(amount, wallet.currency))
      return { made: await this.actions.adjust(actor, walletId, amount, reason, key) }
    refuseOwn(actor, wallet.owner_ref.slice('user:'.length))
    return {
      proposal: await this.#propose(
        actor,
        'adjustment',
        walletId,
        amount,
        wallet.currency,
        reason,
        key
      ),
    }
  }

  async reverse(actor: Actor, transferId: string, reason: string) {
    const record = await this.queries.transferRecord(transferId)
    if (!this.needsApproval(record.amount, record.currency))
      return { made: await this.actions.reverse(actor, transferId, reason) }
    refuseOwn(actor, record.sender_id, record.receiver_id)
    if (record.kind === 'reversal' || record.kind === 'refund')
      throw new ApiError('validation_failed', 'A reversal cannot be reversed')
    if (record.reversed_by) throw new ApiError('already_reversed')
    return {
      proposal: await this.#propose(
        actor,
        'reversal',
        transferId,
        record.amount,
        record.currency,
        reason,
        'reversal'
      ),
    }
  }

  async #propose(
    actor: Actor,
    kind: ProposalRow['kind'],
    targetId: string,
    amount: number,
    currency: string,
    reason: string,
    key: string
  ): Promise<ProposalRow> {
    const now = clock.now()
    return db.transaction(async (trx) => {
      const [row] = await trx
        .table('staff_proposals')
        .insert({
          id: uuidv7(),
          kind,
          target_id: targetId,
          amount,
          currency,
          reason,
          idempotency_key: key,
          proposed_by: actor.user.id,
          status: 'pending',
          expires_at: new Date(now + paymentsConfig.staffProposalHours * 3_600_000),
          created_at: new Date(now),
        })
        .onConflict(['proposed_by', 'kind', 'target_id', 'idempotency_key'])
        .ignore()
        .returning('*')
      // The same request again: its proposal, not a second one.
      if (!row)
        return (await trx
          .from('staff_proposals')
          .where({ proposed_by: actor.user.id, kind, target_id: targetId, idempotency_key: key })
          .first()) as ProposalRow
      await audit.record(
        {
          actorId: actor.user.id,
          action: `proposal.${kind}`,
          targetType: kind === 'adjustment' ? 'wallet' : 'transfer',
          targetId,
          reason,
          requestId: actor.requestId,
          details: { proposal_id: row.id, amount, currency },
        },
        trx
      )
      return row
    })
  }

  async list(filter: { status?: ProposalStatus; limit: number; cursor?: string }) {
    const query = db.from('staff_proposals').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    const now = new Date(clock.now())
    if (filter.status === 'expired') query.where('status', 'pending').where('expires_at', '<=', now)
    else if (filter.status === 'pending')
      query.where('status', 'pending').where('expires_at', '>', now)
    else if (filter.status) query.where('status', filter.status)
    const page = await pageByTime(query, filter.limit, filter.cursor)
    return { data: page.data as ProposalRow[], next_cursor: page.next_cursor }
  }

  async find(id: string): Promise<ProposalRow> {
    const row = isUuid(id) ? await db.from('staff_proposals').where('id', id).first() : null
    if (!row) throw new ApiError('not_found', 'No such proposal')
    return row
  }

  /**
   * A second admin approves: the money moves, then the proposal is marked,
   * both under the proposal's row lock, so two approvals at once make one
   * movement and the second is told it was decided. A refusal (the wallet
   * no longer holds the money) leaves the proposal pending.
   */
  async approve(actor: Actor, id: string, reason: string) {
    return db.transaction(async (trx) => {
      const row = await this.#decidable(trx, actor, id)
      // The movement keeps the proposal's reason (the ledger holds 500 characters); the audit rows name both admins.
      const made =
        row.kind === 'adjustment'
          ? await this.actions.adjust(
              actor,
              row.target_id,
              Number(row.amount),
              row.reason,
              `proposal:${row.id}`
            )
          : await this.actions.reverse(actor, row.target_id, row.reason)
      return this.#decide(trx, actor, row, 'approved', reason, made.body.id)
    })
  }

  async reject(actor: Actor, id: string, reason: string) {
    return db.transaction(async (trx) => {
      const row = await this.#decidable(trx, actor, id, true)
      return this.#decide(trx, actor, row, 'rejected', reason, null)
    })
  }

  /** Marks the decision and audits it with both admins; returns the proposal as it now is. */
  async #decide(
    trx: TransactionClientContract,
    actor: Actor,
    row: ProposalRow,
    status: 'approved' | 'rejected',
    reason: string,
    transferId: string | null
  ): Promise<ProposalRow> {
    const [decided] = await trx
      .from('staff_proposals')
      .where('id', row.id)
      .update(
        {
          status,
          decided_by: actor.user.id,
          decision_reason: reason,
          transfer_id: transferId,
          decided_at: new Date(clock.now()),
        },
        '*'
      )
    await audit.record(
      {
        actorId: actor.user.id,
        action: `proposal.${status === 'approved' ? 'approve' : 'reject'}`,
        targetType: row.kind === 'adjustment' ? 'wallet' : 'transfer',
        targetId: row.target_id,
        reason,
        requestId: actor.requestId,
        details: {
          proposal_id: row.id,
          proposed_by: row.proposed_by,
          amount: Number(row.amount),
          currency: row.currency,
        },
      },
      trx
    )
    return decided
  }

  /** Locked, pending, in time, and (to approve) someone else's. */
  async #decidable(
    trx: TransactionClientContract,
    actor: Actor,
    id: string,
    ownMayWithdraw = false
  ) {
    const row: ProposalRow | null = isUuid(id)
      ? await trx.from('staff_proposals').where('id', id).forUpdate().first()
      : null
    if (!row) throw new ApiError('not_found', 'No such proposal')
    const status = proposalStatusOf(row)
    if (status !== 'pending')
      throw new ApiError('proposal_not_pending', `This proposal is ${status} already`)
    if (row.proposed_by === actor.user.id && !ownMayWithdraw) throw new ApiError('self_approval')
    return row
  }
}
