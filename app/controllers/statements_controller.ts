import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { StatementService, statementToCsv } from '#services/statement_service'
import { requireOrdered, statementValidator } from '#validators/statement_validators'

@inject()
export default class StatementsController {
  constructor(protected statements: StatementService) {}

  async show({ params, request, response, auth }: HttpContext) {
    const input = requireOrdered(
      await statementValidator.validate({ ...request.qs(), currency: params.currency })
    )
    const statement = await this.statements.statement(
      auth.getUserOrFail().ownerRef,
      input.currency,
      input.from,
      input.to
    )
    return sendStatement(request, response, statement)
  }
}

/** JSON, or CSV for `Accept: text/csv`, as a download named after the currency. */
export function sendStatement(
  request: HttpContext['request'],
  response: HttpContext['response'],
  statement: Awaited<ReturnType<StatementService['ofAccount']>>
) {
  if (request.accepts(['application/json', 'text/csv']) === 'text/csv') {
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header(
      'content-disposition',
      `attachment; filename="purse-${statement.currency}-statement.csv"`
    )
    return statementToCsv(statement.data)
  }
  return statement
}
