import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { AdminQueries } from '#services/admin_queries'
import { audit } from '#services/audit_service'
import { StaffActions } from '#services/staff_actions'
import { transfersToJson } from '#transformers/transfer_transformer'
import { userRowToJson, userToJson } from '#transformers/user_transformer'
import { idempotencyKeyHeader } from '#validators/idempotency_key'
import {
  adjustmentValidator,
  listAdminTransfersValidator,
  listAuditValidator,
  listUsersValidator,
  overviewValidator,
  reasonValidator,
} from '#validators/admin_validators'
import { requireOrdered, statementRangeValidator } from '#validators/statement_validators'
import { sendStatement } from '#controllers/statements_controller'

/** Support and admin routes; roles are checked by route middleware before any of these run. */
@inject()
export default class AdminController {
  constructor(
    protected queries: AdminQueries,
    protected actions: StaffActions
  ) {}

  async users({ request }: HttpContext) {
    const query = await listUsersValidator.validate(request.qs())
    const page = await this.queries.searchUsers(query.q, query.limit ?? 25, query.cursor)
    return { data: page.data.map(userRowToJson), next_cursor: page.next_cursor }
  }

  async user({ params }: HttpContext) {
    const { user, wallets } = await this.queries.userWithWallets(params.id)
    return { ...userToJson(user), wallets }
  }

  async freeze(ctx: HttpContext) {
    return this.setFrozen(ctx, true)
  }

  async unfreeze(ctx: HttpContext) {
    return this.setFrozen(ctx, false)
  }

  async transfers({ request }: HttpContext) {
    const query = await listAdminTransfersValidator.validate(request.qs())
    const page = await this.queries.listTransfers({ ...query, limit: query.limit ?? 25 })
    return { data: await transfersToJson(page.data), next_cursor: page.next_cursor }
  }

  async transfer({ params }: HttpContext) {
    const { record, ledger, entries } = await this.queries.transferDetail(params.id)
    const [json] = await transfersToJson([record])
    return { ...json, reversed_by: record.reversed_by, ledger, entries }
  }

  async walletStatement({ params, request, response }: HttpContext) {
    const range = requireOrdered(await statementRangeValidator.validate(request.qs()))
    const statement = await this.queries.walletStatement(params.id, range.from, range.to)
    return sendStatement(request, response, statement)
  }

  async overview({ request }: HttpContext) {
    const { since } = await overviewValidator.validate(request.qs())
    return this.queries.overview(since ?? new Date(new Date().setUTCHours(0, 0, 0, 0)))
  }

  async reverse({ params, request, response, auth }: HttpContext) {
    const { reason } = await request.validateUsing(reasonValidator)
    const result = await this.actions.reverse(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      reason
    )
    if (result.replayed) response.header('Idempotent-Replayed', 'true')
    return response.status(result.status).send(result.body)
  }

  async adjust({ params, request, response, auth }: HttpContext) {
    const { amount, reason } = await request.validateUsing(adjustmentValidator)
    const key = idempotencyKeyHeader(request.header('idempotency-key')) ?? randomUUID()
    const { result, wallet } = await this.actions.adjust(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      amount,
      reason,
      key
    )
    if (result.replayed) response.header('Idempotent-Replayed', 'true')
    return response.status(result.status).send({ transfer: result.body, wallet })
  }

  async auditLog({ request }: HttpContext) {
    const query = await listAuditValidator.validate(request.qs())
    const page = await audit.list({ ...query, limit: query.limit ?? 25 })
    return {
      data: page.data.map((row: any) => ({
        id: row.id,
        // No actor: an operator on the command line, named in the details.
        actor: row.actor_id ? { id: row.actor_id, email: row.actor_email } : null,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        reason: row.reason,
        request_id: row.request_id,
        details: row.details,
        created_at: new Date(row.created_at).toISOString(),
      })),
      next_cursor: page.next_cursor,
    }
  }

  async invariants() {
    return this.queries.invariants()
  }

  private async setFrozen({ params, request, auth }: HttpContext, frozen: boolean) {
    const { reason } = await request.validateUsing(reasonValidator)
    const { user, wallets } = await this.actions.setFrozen(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      frozen,
      reason
    )
    return { ...userToJson(user), wallets }
  }
}
