import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { sendStatement } from '#transformers/statement_transformer'
import { requireOrdered, statementValidator } from '#validators/statement_validators'
import { StatementService } from '#wallets/statement_service'

@inject()
export default class StatementsController {
  constructor(protected statements: StatementService) {}

  async show(ctx: HttpContext) {
    const input = requireOrdered(
      await statementValidator.validate({ ...ctx.request.qs(), currency: ctx.params.currency })
    )
    const statement = await this.statements.statement(
      ctx.auth.getUserOrFail().ownerRef,
      input.currency,
      input.from,
      input.to
    )
    return sendStatement(ctx, statement)
  }
}
