import type { LedgerGateway } from '#ledger/ledger_gateway'

type InvariantsReport = Awaited<ReturnType<LedgerGateway['invariants']>>

/** ledger-core's invariants report as the console reads it. */
export function invariantsToJson(report: InvariantsReport) {
  return {
    ok: report.ok,
    checked_at: report.checked_at,
    currencies: report.currencies.map((c) => ({
      currency: c.currency,
      accounts: c.accounts,
      balance_sum: c.balance_sum,
      user_balance_sum: c.user_balance_sum,
    })),
    violations: report.violations.map((v) => ({
      invariant: v.invariant,
      ...(v.account_id ? { account_id: v.account_id } : {}),
      ...(v.transfer_id ? { transfer_id: v.transfer_id } : {}),
      ...(v.currency ? { currency: v.currency } : {}),
      detail: v.detail,
    })),
  }
}
