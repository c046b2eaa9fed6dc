import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import logger from '@adonisjs/core/services/logger'
import { Piscina } from 'piscina'
import { migrate } from '@purse/ledger-core'
import { LedgerRefusal, LedgerUnavailable, type LedgerGateway } from '#ledger/ledger_gateway'
import type {
  LedgerCall,
  LedgerCallResult,
  LedgerMethod,
  LedgerMethods,
} from '#ledger/embedded_ledger_worker'

/** Calls in flight on the ledger thread at most; its writer batches them. */
const ledger_call_count_max = 4096

/**
 * ledger-core inside this process, for single-node installs: no network
 * hop. It runs on a worker thread of its own (a one-thread Piscina pool),
 * so its batches are not held up behind HTTP work on the main thread, and
 * its CPU is spent beside the API's instead of within it. Measured under
 * the payment benchmark, the ledger's code and queries had taken a fifth
 * of the main thread.
 */
export class EmbeddedLedger implements LedgerGateway {
  readonly #thread: Piscina

  private constructor(thread: Piscina) {
    this.#thread = thread
  }

  static async start(databaseUrl: string): Promise<EmbeddedLedger> {
    await migrate(databaseUrl)
    // The worker module sits beside this one: .ts from the sources, .js in the build.
    const here = fileURLToPath(import.meta.url)
    const thread = new Piscina({
      filename: new URL(`./embedded_ledger_worker${extname(here)}`, import.meta.url).href,
      workerData: { databaseUrl },
      minThreads: 1,
      maxThreads: 1,
      // Async calls that wait on PostgreSQL: the thread's event loop must keep turning.
      atomics: 'disabled',
      concurrentTasksPerWorker: ledger_call_count_max,
      idleTimeout: Number.POSITIVE_INFINITY,
    })
    // A thread that dies fails its calls (503) and Piscina starts another.
    thread.on('error', (error: Error) => logger.error({ err: error }, 'ledger thread failed'))
    const ledger = new EmbeddedLedger(thread)
    try {
      await ledger.#call('health')
    } catch (error) {
      // It cannot start (a broken install): stop trying, and let the caller fail.
      await thread.destroy()
      throw error
    }
    return ledger
  }

  ensureAccount: LedgerGateway['ensureAccount'] = (...args) => this.#call('ensureAccount', ...args)
  getAccount: LedgerGateway['getAccount'] = (...args) => this.#call('getAccount', ...args)
  listAccounts: LedgerGateway['listAccounts'] = (...args) => this.#call('listAccounts', ...args)
  createTransfer: LedgerGateway['createTransfer'] = (...args) =>
    this.#call('createTransfer', ...args)
  getTransfer: LedgerGateway['getTransfer'] = (...args) => this.#call('getTransfer', ...args)
  listTransferEntries: LedgerGateway['listTransferEntries'] = (...args) =>
    this.#call('listTransferEntries', ...args)
  listAccountTransfers: LedgerGateway['listAccountTransfers'] = (...args) =>
    this.#call('listAccountTransfers', ...args)
  listAccountEntries: LedgerGateway['listAccountEntries'] = (...args) =>
    this.#call('listAccountEntries', ...args)
  getBalance: LedgerGateway['getBalance'] = (...args) => this.#call('getBalance', ...args)
  setAccountStatus: LedgerGateway['setAccountStatus'] = (...args) =>
    this.#call('setAccountStatus', ...args)
  postTransfer: LedgerGateway['postTransfer'] = (...args) => this.#call('postTransfer', ...args)
  voidTransfer: LedgerGateway['voidTransfer'] = (...args) => this.#call('voidTransfer', ...args)
  reverseTransfer: LedgerGateway['reverseTransfer'] = (...args) =>
    this.#call('reverseTransfer', ...args)
  invariants: LedgerGateway['invariants'] = () => this.#call('invariants')
  health = () => this.#call('health').catch(() => false)

  close = async () => {
    await this.#thread.run(null, { name: 'close' })
    await this.#thread.close()
  }

  async #call<M extends LedgerMethod>(
    method: M,
    ...args: Parameters<LedgerMethods[M]>
  ): Promise<Awaited<ReturnType<LedgerMethods[M]>>> {
    let result: LedgerCallResult
    try {
      result = await this.#thread.run({ method, args } as LedgerCall)
    } catch (error) {
      // The thread died or is shutting down before it answered: it may have written.
      throw new LedgerUnavailable((error as Error).message, true)
    }
    // The worker ran `methods[method]`, whose answer this is.
    if (result.ok) return result.value as Awaited<ReturnType<LedgerMethods[M]>>
    // Overloaded, halted, or lost its database (perhaps mid-commit). A defect
    // may strike after the commit, too: answered as the remote mode answers a
    // 500, so the caller gets the key that learns the outcome and a payment
    // is followed up, not left unknown.
    if (result.code === 'service_unavailable' || result.code === 'internal_error')
      throw new LedgerUnavailable(result.message, true)
    throw new LedgerRefusal(result.code, result.status, result.message, result.replayed)
  }
}
