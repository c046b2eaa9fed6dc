import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { recordOfTransfer } from '#history/history_reads'
import { StaffProposals } from '#staff/staff_proposals'
import { proposalToJson, proposalsToJson } from '#transformers/proposal_transformer'
import { transferToJsonWithNames } from '#transformers/transfer_transformer'
import { walletToJson } from '#transformers/wallet_transformer'
import {
  adjustmentValidator,
  listProposalsValidator,
  reasonValidator,
} from '#validators/admin_validators'
import { idempotencyKeyHeader } from '#validators/idempotency_key'

function actorOf({ auth, request }: HttpContext) {
  return { user: auth.getUserOrFail(), requestId: request.id() }
}

/**
 * Staff money: reversals and adjustments (admins only), made at once below
 * the approval threshold and proposed above it (202), and the proposals a
 * second admin approves or rejects.
 */
@inject()
export default class AdminMoneyController {
  constructor(protected proposals: StaffProposals) {}

  async reverse(ctx: HttpContext) {
    const { reason } = await ctx.request.validateUsing(reasonValidator)
    const outcome = await this.proposals.reverse(actorOf(ctx), ctx.params.id, reason)
    if (outcome.proposal)
      return ctx.response.accepted({ proposal: await proposalToJson(outcome.proposal) })
    const reversal = outcome.made!
    if (reversal.replayed) ctx.response.header('Idempotent-Replayed', 'true')
    const json = await transferToJsonWithNames(recordOfTransfer(reversal.body, reversal.movement))
    return ctx.response.status(reversal.status).send(json)
  }

  async adjust(ctx: HttpContext) {
    const { amount, reason } = await ctx.request.validateUsing(adjustmentValidator)
    const key = idempotencyKeyHeader(ctx.request.header('idempotency-key')) ?? randomUUID()
    const outcome = await this.proposals.adjust(actorOf(ctx), ctx.params.id, amount, reason, key)
    if (outcome.proposal)
      return ctx.response.accepted({ proposal: await proposalToJson(outcome.proposal) })
    const adjustment = outcome.made!
    if (adjustment.replayed) ctx.response.header('Idempotent-Replayed', 'true')
    return ctx.response.status(adjustment.status).send({
      transfer: await transferToJsonWithNames(
        recordOfTransfer(adjustment.body, adjustment.movement)
      ),
      wallet: walletToJson(adjustment.wallet),
    })
  }

  async index({ request }: HttpContext) {
    const query = await listProposalsValidator.validate(request.qs())
    const page = await this.proposals.list({ ...query, limit: query.limit ?? 25 })
    return { data: await proposalsToJson(page.data), next_cursor: page.next_cursor }
  }

  async show({ params }: HttpContext) {
    return proposalToJson(await this.proposals.find(params.id))
  }

  async approve(ctx: HttpContext) {
    const { reason } = await ctx.request.validateUsing(reasonValidator)
    return proposalToJson(await this.proposals.approve(actorOf(ctx), ctx.params.id, reason))
  }

  async reject(ctx: HttpContext) {
    const { reason } = await ctx.request.validateUsing(reasonValidator)
    return proposalToJson(await this.proposals.reject(actorOf(ctx), ctx.params.id, reason))
  }
}
