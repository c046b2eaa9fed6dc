import { inject } from '@adonisjs/core'
import { ApiError } from '#exceptions/api_error'
import { ledger } from '#ledger/ledger_gateway'
import { describeTransfers } from '#history/history_reads'
import { WalletService } from '#wallets/wallet_service'

/** A statement holds at most this many entries; a wider range must be split. */
export const statement_entry_count_max = 10_000

export type Statement = Awaited<ReturnType<StatementService['ofAccount']>>

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
    const gateway = await ledger()
    const entries = []
    let cursor: string | undefined
    // A ledger-core that cannot answer is mapped by the exception handler.
    do {
      const page = await gateway.listAccountEntries(accountId, {
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
    const byId = await describeTransfers([...new Set(entries.map((e) => e.transfer_id))])
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
    return (await (await ledger()).getBalance(accountId, asOf)).balance
  }
}

/** The balance before a statement line's entry. */
function balanceBefore(line: StatementLine): number {
  return line.balance_after + (line.direction === 'debit' ? line.amount : -line.amount)
}
