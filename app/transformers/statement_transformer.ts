import type { HttpContext } from '@adonisjs/core/http'
import type { Statement, StatementLine } from '#wallets/statement_service'

/** JSON, or CSV for `Accept: text/csv`, as a download named after the currency. */
export function sendStatement(
  { request, response }: Pick<HttpContext, 'request' | 'response'>,
  statement: Statement
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

/** RFC 4180 CSV; cells that a spreadsheet would run as formulas are quoted with a leading '. */
function statementToCsv(lines: StatementLine[]): string {
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value)
    if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  const header = [
    'posted_at',
    'transfer_id',
    'kind',
    'description',
    'direction',
    'amount',
    'balance_after',
  ]
  const rows = lines.map((l) =>
    [l.posted_at, l.transfer_id, l.kind, l.description, l.direction, l.amount, l.balance_after]
      .map(cell)
      .join(',')
  )
  return [header.join(','), ...rows].join('\r\n') + '\r\n'
}
