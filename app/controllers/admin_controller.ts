import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { mfaSettings } from '#identity/mfa_settings'
import { audit } from '#audit/audit_log'
import { StaffActions } from '#staff/staff_actions'
import { StaffQueries } from '#staff/staff_queries'
import { auditRowToJson } from '#transformers/audit_transformer'
import { invariantsToJson } from '#transformers/invariants_transformer'
import { sendStatement } from '#transformers/statement_transformer'
import { adminTransferToJson, transfersToJson } from '#transformers/transfer_transformer'
import { userRowToJson, userToJson } from '#transformers/user_transformer'
import { walletToJson } from '#transformers/wallet_transformer'
import {
  listAdminTransfersValidator,
  listAuditValidator,
  listUsersValidator,
  overviewValidator,
  reasonValidator,
} from '#validators/admin_validators'
import { requireOrdered, statementRangeValidator } from '#validators/statement_validators'

/** Support and admin routes; roles are checked by route middleware before any of these run. */
@inject()
export default class AdminController {
  constructor(
    protected queries: StaffQueries,
    protected actions: StaffActions
  ) {}

  async users({ request }: HttpContext) {
    const query = await listUsersValidator.validate(request.qs())
    const page = await this.queries.searchUsers(query.q, query.limit ?? 25, query.cursor)
    return { data: page.data.map(userRowToJson), next_cursor: page.next_cursor }
  }

  async user({ params }: HttpContext) {
    const { user, wallets } = await this.queries.userWithWallets(params.id)
    // Which second factors are on, never what they hold.
    const mfa = await mfaSettings.status(user)
    return {
      ...userToJson(user),
      mfa: {
        enabled: mfa.enabled,
        totp_enabled: mfa.totp_enabled,
        passkeys: mfa.passkeys.length,
        recovery_codes_left: mfa.recovery_codes_left,
      },
      wallets: wallets.map(walletToJson),
    }
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
    return adminTransferToJson(await this.queries.transferDetail(params.id))
  }

  async walletStatement(ctx: HttpContext) {
    const range = requireOrdered(await statementRangeValidator.validate(ctx.request.qs()))
    const statement = await this.queries.walletStatement(ctx.params.id, range.from, range.to)
    return sendStatement(ctx, statement)
  }

  async overview({ request }: HttpContext) {
    const { since } = await overviewValidator.validate(request.qs())
    return this.queries.overview(since ?? new Date(new Date().setUTCHours(0, 0, 0, 0)))
  }

  async auditLog({ request }: HttpContext) {
    const query = await listAuditValidator.validate(request.qs())
    const page = await audit.list({ ...query, limit: query.limit ?? 25 })
    return { data: page.data.map(auditRowToJson), next_cursor: page.next_cursor }
  }

  async invariants() {
    return invariantsToJson(await this.queries.invariants())
  }

  private async setFrozen({ params, request, auth }: HttpContext, frozen: boolean) {
    const { reason } = await request.validateUsing(reasonValidator)
    const { user, wallets } = await this.actions.setFrozen(
      { user: auth.getUserOrFail(), requestId: request.id() },
      params.id,
      frozen,
      reason
    )
    return { ...userToJson(user), wallets: wallets.map(walletToJson) }
  }
}
