import type { LedgerAccount } from '#ledger/ledger_gateway'

/** A wallet as the API shows it: a ledger account, without the ledger's own fields. */
export function walletToJson(account: LedgerAccount) {
  return {
    id: account.id,
    currency: account.currency,
    balance: account.balance,
    available_balance: account.available_balance,
    status: account.status,
  }
}

export type WalletJson = ReturnType<typeof walletToJson>
