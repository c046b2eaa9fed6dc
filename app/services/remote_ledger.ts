import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel'
import { createLedgerClient } from '@purse/sdk/ledger'
import { breakerState } from '#services/api_metrics'
import { LedgerRefusal, LedgerUnavailable, type LedgerGateway } from '#services/ledger_gateway'

/** A transport failure or a 5xx: the ledger may not have seen the request. */
class Transient extends Error {}

/**
 * ledger-core over HTTP, through @purse/sdk/ledger (generated from its contract).
 * Transient failures are retried with back-off — always with the same
 * idempotency key, so a retry never moves money twice — behind a circuit
 * breaker that answers at once while the ledger is down.
 */
export class RemoteLedger implements LedgerGateway {
  readonly #client
  readonly #policy
  readonly breaker

  constructor(baseUrl: string, token: string) {
    // The SDK's ledger entry point: the product itself exercises the SDK.
    this.#client = createLedgerClient({ baseUrl, token })
    const transient = handleWhen((error) => error instanceof Transient)
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: 2_000,
      breaker: new ConsecutiveBreaker(5),
    })
    this.breaker.onStateChange((state) => breakerState.set(state))
    this.#policy = wrap(
      retry(transient, {
        maxAttempts: 2,
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }),
      }),
      this.breaker,
      timeout(5_000, TimeoutStrategy.Aggressive)
    )
  }

  ensureAccount: LedgerGateway['ensureAccount'] = (input) =>
    this.#call(() => this.#client.POST('/v1/accounts', { body: input }))
  getAccount: LedgerGateway['getAccount'] = (id) =>
    this.#call(() =>
      this.#client.GET('/v1/accounts/{account_id}', { params: { path: { account_id: id } } })
    )
  listAccounts: LedgerGateway['listAccounts'] = async (ownerRef) =>
    (
      await this.#call(() =>
        this.#client.GET('/v1/accounts', { params: { query: { owner_ref: ownerRef, limit: 100 } } })
      )
    ).data
  createTransfer: LedgerGateway['createTransfer'] = (input, key) =>
    this.#replayable(() =>
      this.#client.POST('/v1/transfers', {
        body: input,
        params: { header: { 'Idempotency-Key': key } },
      })
    )
  getTransfer: LedgerGateway['getTransfer'] = (id) =>
    this.#call(() =>
      this.#client.GET('/v1/transfers/{transfer_id}', { params: { path: { transfer_id: id } } })
    )
  listTransferEntries: LedgerGateway['listTransferEntries'] = async (id) =>
    (
      await this.#call(() =>
        this.#client.GET('/v1/transfers/{transfer_id}/entries', {
          params: { path: { transfer_id: id } },
        })
      )
    ).data
  listAccountTransfers: LedgerGateway['listAccountTransfers'] = (id, query) =>
    this.#call(() =>
      this.#client.GET('/v1/accounts/{account_id}/transfers', {
        params: { path: { account_id: id }, query },
      })
    )
  listAccountEntries: LedgerGateway['listAccountEntries'] = (id, query) =>
    this.#call(() =>
      this.#client.GET('/v1/accounts/{account_id}/entries', {
        params: { path: { account_id: id }, query },
      })
    )
  setAccountStatus: LedgerGateway['setAccountStatus'] = (id, status) =>
    this.#call(() =>
      this.#client.POST(
        status === 'frozen'
          ? '/v1/accounts/{account_id}/freeze'
          : '/v1/accounts/{account_id}/unfreeze',
        {
          params: { path: { account_id: id } },
        }
      )
    )
  reverseTransfer: LedgerGateway['reverseTransfer'] = (id, input, key) =>
    this.#replayable(() =>
      this.#client.POST('/v1/transfers/{transfer_id}/reversals', {
        body: input,
        params: { path: { transfer_id: id }, header: { 'Idempotency-Key': key } },
      })
    )
  invariants: LedgerGateway['invariants'] = () =>
    this.#call(() => this.#client.GET('/v1/invariants'))

  health = async () => {
    try {
      const { response } = await this.#client.GET('/health', { signal: AbortSignal.timeout(1_000) })
      return response.ok
    } catch {
      return false
    }
  }

  close = async () => {}

  async #call<T>(
    request: () => Promise<{ data?: T; error?: any; response: Response }>
  ): Promise<T> {
    return (await this.#replayable(request)).body
  }

  async #replayable<T>(request: () => Promise<{ data?: T; error?: any; response: Response }>) {
    try {
      return await this.#policy.execute(async () => {
        let result
        try {
          result = await request()
        } catch (error) {
          throw new Transient((error as Error).message)
        }
        const { data, error, response } = result
        if (
          response.status >= 500 ||
          (response.status === 409 && error?.code === 'idempotency_key_in_use')
        ) {
          throw new Transient(`ledger answered ${response.status}`)
        }
        if (error) throw new LedgerRefusal(error.code, response.status, error.detail)
        return {
          status: response.status,
          body: data as T,
          replayed: response.headers.get('idempotent-replayed') === 'true',
        }
      })
    } catch (error) {
      if (
        error instanceof Transient ||
        error instanceof BrokenCircuitError ||
        (error as Error)?.name === 'TaskCancelledError'
      ) {
        throw new LedgerUnavailable((error as Error).message)
      }
      throw error
    }
  }
}
