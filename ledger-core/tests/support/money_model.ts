/**
 * The simplest possible model of the ledger: balances and holds per
 * account, changed only by what the service acknowledged. The service's own
 * balances must end equal to it.
 */
export class MoneyModel {
  readonly balances = new Map<string, number>()
  readonly holds = new Map<string, { debit: string; amount: number }>()

  balance(id: string) {
    return this.balances.get(id) ?? 0
  }

  move(debit: string, credit: string, amount: number) {
    this.balances.set(debit, this.balance(debit) - amount)
    this.balances.set(credit, this.balance(credit) + amount)
  }

  hold(id: string, debit: string, amount: number) {
    this.holds.set(id, { debit, amount })
  }

  release(id: string) {
    this.holds.delete(id)
  }

  held(account: string) {
    let sum = 0
    for (const hold of this.holds.values()) if (hold.debit === account) sum += hold.amount
    return sum
  }

  /** Apply what a successful transfer response says happened. */
  applyTransfer(transfer: {
    id: string
    status: string
    debit_account_id: string
    credit_account_id: string
    amount: number
    posted_amount: number | null
  }) {
    if (transfer.status === 'posted') {
      this.release(transfer.id)
      this.move(transfer.debit_account_id, transfer.credit_account_id, transfer.posted_amount!)
    } else if (transfer.status === 'pending') {
      this.hold(transfer.id, transfer.debit_account_id, transfer.amount)
    } else {
      this.release(transfer.id)
    }
  }
}
