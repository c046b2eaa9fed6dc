import { Ledger, LedgerError, migrate } from '@purse/ledger-core'
import { LedgerRefusal, LedgerUnavailable, type LedgerGateway } from '#services/ledger_gateway'

/** ledger-core inside this process: for single-node installs, no network hop. */
export class EmbeddedLedger implements LedgerGateway {
  readonly #ledger: Ledger

  private constructor(ledger: Ledger) {
    this.#ledger = ledger
  }

  static async start(databaseUrl: string): Promise<EmbeddedLedger> {
    await migrate(databaseUrl)
    return new EmbeddedLedger(new Ledger({ databaseUrl }).start())
  }

  ensureAccount: LedgerGateway['ensureAccount'] = (input) =>
    call(async () => (await this.#ledger.ensureAccount(input)).body)
  getAccount: LedgerGateway['getAccount'] = (id) => call(() => this.#ledger.getAccount(id))
  listAccounts: LedgerGateway['listAccounts'] = (ownerRef) =>
    call(async () => (await this.#ledger.listAccounts({ owner_ref: ownerRef, limit: 100 })).data)
  createTransfer: LedgerGateway['createTransfer'] = (input, key) =>
    call(() => this.#ledger.createTransfer(input, key))
  getTransfer: LedgerGateway['getTransfer'] = (id) => call(() => this.#ledger.getTransfer(id))
  listTransferEntries: LedgerGateway['listTransferEntries'] = (id) =>
    call(async () => (await this.#ledger.listTransferEntries(id)).data)
  listAccountTransfers: LedgerGateway['listAccountTransfers'] = (id, query) =>
    call(() => this.#ledger.listAccountTransfers(id, query))
  listAccountEntries: LedgerGateway['listAccountEntries'] = (id, query) =>
    call(() =>
      this.#ledger.listAccountEntries(id, {
        ...query,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      })
    )
  setAccountStatus: LedgerGateway['setAccountStatus'] = (id, status) =>
    call(async () => (await this.#ledger.setAccountStatus(id, status)).body)
  reverseTransfer: LedgerGateway['reverseTransfer'] = (id, input, key) =>
    call(() => this.#ledger.reverseTransfer(id, input, key))
  invariants: LedgerGateway['invariants'] = () => call(() => this.#ledger.invariants())
  health = async () => (await this.#ledger.health()).status === 'ok'
  close = () => this.#ledger.close()
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof LedgerError) {
      if (error.code === 'service_unavailable') throw new LedgerUnavailable(error.message)
      throw new LedgerRefusal(error.code, error.status, error.message)
    }
    throw error
  }
}
