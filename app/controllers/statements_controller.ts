import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { StatementService, statementToCsv } from '#services/statement_service'

const statementValidator = vine.create({
  currency: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/),
  from: vine.date({ formats: { utc: true } }).optional(),
  to: vine.date({ formats: { utc: true } }).optional(),
})

@inject()
export default class StatementsController {
  constructor(protected statements: StatementService) {}

  async show({ params, request, response, auth }: HttpContext) {
    const input = await statementValidator.validate({ ...request.qs(), currency: params.currency })
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
