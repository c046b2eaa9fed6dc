import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { ApiError } from '#exceptions/api_error'
import { WalletService } from '#services/wallet_service'

/** A statement holds at most this many entries; a wider range must be split. */
export const statement_entry_count_max = 10_000

export interface StatementLine {
  entry_id: string
  transfer_id: string
  posted_at: string
  direction: 'debit' | 'credit'
  amount: number
  balance_after: number
  kind: string | null
  description: string | null
}

/** A wallet's entries in a period, oldest first, each with the balance after it. */
@inject()
export class StatementService {
  constructor(protected wallets: WalletService) {}

  async statement(ownerRef: string, currency: string, from?: Date, to?: Date) {
    this.wallets.requireSupported(currency)
    return this.ofAccount(await this.wallets.heldAccountId(ownerRef, currency), currency, from, to)
  }

  async ofAccount(accountId: string, currency: string, from?: Date, to?: Date) {
    const ledger = await this.wallets.ledger()
    const entries = []
    let cursor: string | undefined
    // A ledger-core that cannot answer is mapped by the exception handler.
    do {
      const page = await ledger.listAccountEntries(accountId, {
        limit: 100,
        cursor,
        from: from?.toISOString(),
        to: to?.toISOString(),
      })
      entries.push(...page.data)
      cursor = page.next_cursor ?? undefined
      if (entries.length > statement_entry_count_max) {
        throw new ApiError(
          'validation_failed',
          `A statement holds at most ${statement_entry_count_max} entries; narrow the dates`,
          {
            errors: [{ field: 'from', message: 'range too wide' }],
          }
        )
      }
    } while (cursor)
    const ids = [...new Set(entries.map((e) => e.transfer_id))]
    const known = ids.length
      ? await db.from('transfers').whereIn('id', ids).select('id', 'kind', 'description')
      : []
    const byId = new Map(known.map((t) => [t.id, t]))
    const lines: StatementLine[] = entries.reverse().map((e) => ({
      entry_id: e.id,
      transfer_id: e.transfer_id,
      posted_at: e.created_at,
      direction: e.direction,
      amount: e.amount,
      balance_after: e.balance_after,
      kind: byId.get(e.transfer_id)?.kind ?? null,
      description: byId.get(e.transfer_id)?.description ?? null,
    }))
    const closing = lines.at(-1)?.balance_after ?? (await this.balanceAt(accountId, to))
    return {
      currency,
      from: from?.toISOString() ?? null,
      to: to?.toISOString() ?? null,
      opening_balance: lines[0] ? balanceBefore(lines[0]) : closing,
      closing_balance: closing,
      data: lines,
    }
  }

  /**
   * The balance after the last entry before `to` (entries are kept to the
   * millisecond, and `to` is exclusive), or now. Asked only for a period
   * without entries: otherwise the lines carry both balances, so that the
   * opening balance plus the lines always makes the closing one.
   */
  private async balanceAt(accountId: string, to?: Date): Promise<number> {
    const asOf = to ? new Date(to.getTime() - 1).toISOString() : undefined
    return (await (await this.wallets.ledger()).getBalance(accountId, asOf)).balance
  }
}

/** The balance before a statement line's entry. */
function balanceBefore(line: StatementLine): number {
  return line.balance_after + (line.direction === 'debit' ? line.amount : -line.amount)
}

/** RFC 4180 CSV; cells that a spreadsheet would run as formulas are quoted with a leading '. */
export function statementToCsv(lines: StatementLine[]): string {
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
