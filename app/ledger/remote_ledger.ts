import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  wrap,
} from 'cockatiel'
import { createLedgerClient } from '@purse/ledger-core/client'
import { breakerState } from '#platform/api_metrics'
import { LedgerRefusal, LedgerUnavailable, type LedgerGateway } from '#ledger/ledger_gateway'
import { ledgerTransport } from '#ledger/ledger_transport'

/** A failure worth one more try with the same key: a transport failure, a 5xx, a key in use. */
class Transient extends Error {
  constructor(
    message: string,
    /** Whether the request may have reached ledger-core. */
    readonly sent = true
  ) {
    super(message)
  }
}

/**
 * A transient failure that says ledger-core itself is down: it could not be
 * reached, or answered 502–504. Only these, and timeouts, count toward the
 * breaker. A 500 or a key still in use is about one request, and one caller
 * must not be able to open the breaker for everyone.
 */
class Outage extends Transient {}

/**
 * Another request with the same idempotency key is still being worked on.
 * Worth one more try, since it may finish; if it still has not, the caller
 * is told so (409, retry later), as in embedded mode: ledger-core answered,
 * so it is not unavailable.
 */
class KeyInUse extends Transient {
  constructor(readonly refusal: LedgerRefusal) {
    super(refusal.message)
  }
}

/** Codes for a connection that never opened, so nothing was sent. */
const never_sent_codes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

/** One request to ledger-core; `signal` cancels it when the call times out. */
type LedgerCall<T> = (
  signal: AbortSignal
) => Promise<{ data?: T; error?: any; response: Pick<Response, 'status' | 'headers'> }>

/** Sockets kept open to ledger-core (or its balancer); more requests wait for one. */
const ledger_connection_count_max = 128

/**
 * ledger-core over HTTP, through @purse/ledger-core/client (generated from its contract).
 * Transient failures are retried with back-off — always with the same
 * idempotency key, so a retry never moves money twice — behind a circuit
 * breaker that answers at once while the ledger is down.
 */
export class RemoteLedger implements LedgerGateway {
  readonly #client
  readonly #transport
  readonly #policy
  readonly breaker

  constructor(baseUrl: string, token: string) {
    this.#transport = ledgerTransport({ connections: ledger_connection_count_max })
    // The SDK's ledger entry point: the product itself exercises the SDK.
    this.#client = createLedgerClient({ baseUrl, token, ...this.#transport })
    const transient = handleWhen((error) => error instanceof Transient)
    const outage = handleWhen(
      (error) => error instanceof Outage || error instanceof TaskCancelledError
    )
    this.breaker = circuitBreaker(outage, {
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
      // The request is cancelled through its signal; nothing to abort once it has returned.
      timeout(5_000, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false })
    )
  }

  ensureAccount: LedgerGateway['ensureAccount'] = (input) =>
    this.#call((signal) => this.#client.POST('/v1/accounts', { body: input, signal }))
  getAccount: LedgerGateway['getAccount'] = (id) =>
    this.#call((signal) =>
      this.#client.GET('/v1/accounts/{account_id}', {
        params: { path: { account_id: id } },
        signal,
      })
    )
  listAccounts: LedgerGateway['listAccounts'] = async (ownerRef) =>
    (
      await this.#call((signal) =>
        this.#client.GET('/v1/accounts', {
          params: { query: { owner_ref: ownerRef, limit: 100 } },
          signal,
        })
      )
    ).data
  createTransfer: LedgerGateway['createTransfer'] = (input, key) =>
    this.#replayable((signal) =>
      this.#client.POST('/v1/transfers', {
        body: input,
        params: { header: { 'Idempotency-Key': key } },
        signal,
      })
    )
  getTransfer: LedgerGateway['getTransfer'] = (id) =>
    this.#call((signal) =>
      this.#client.GET('/v1/transfers/{transfer_id}', {
        params: { path: { transfer_id: id } },
        signal,
      })
    )
  listTransferEntries: LedgerGateway['listTransferEntries'] = async (id) =>
    (
      await this.#call((signal) =>
        this.#client.GET('/v1/transfers/{transfer_id}/entries', {
          params: { path: { transfer_id: id } },
          signal,
        })
      )
    ).data
  listAccountTransfers: LedgerGateway['listAccountTransfers'] = (id, query) =>
    this.#call((signal) =>
      this.#client.GET('/v1/accounts/{account_id}/transfers', {
        params: { path: { account_id: id }, query },
        signal,
      })
    )
  listAccountEntries: LedgerGateway['listAccountEntries'] = (id, query) =>
    this.#call((signal) =>
      this.#client.GET('/v1/accounts/{account_id}/entries', {
        params: { path: { account_id: id }, query },
        signal,
      })
    )
  getBalance: LedgerGateway['getBalance'] = (id, asOf) =>
    this.#call((signal) =>
      this.#client.GET('/v1/accounts/{account_id}/balance', {
        params: { path: { account_id: id }, query: { as_of: asOf } },
        signal,
      })
    )
  setAccountStatus: LedgerGateway['setAccountStatus'] = (id, status) =>
    this.#call((signal) =>
      this.#client.POST(
        status === 'frozen'
          ? '/v1/accounts/{account_id}/freeze'
          : '/v1/accounts/{account_id}/unfreeze',
        {
          params: { path: { account_id: id } },
          signal,
        }
      )
    )
  postTransfer: LedgerGateway['postTransfer'] = (id, key) =>
    this.#replayable((signal) =>
      this.#client.POST('/v1/transfers/{transfer_id}/post', {
        body: {},
        params: { path: { transfer_id: id }, header: { 'Idempotency-Key': key } },
        signal,
      })
    )
  voidTransfer: LedgerGateway['voidTransfer'] = (id, key) =>
    this.#replayable((signal) =>
      this.#client.POST('/v1/transfers/{transfer_id}/void', {
        params: { path: { transfer_id: id }, header: { 'Idempotency-Key': key } },
        signal,
      })
    )
  reverseTransfer: LedgerGateway['reverseTransfer'] = (id, input, key) =>
    this.#replayable((signal) =>
      this.#client.POST('/v1/transfers/{transfer_id}/reversals', {
        body: input,
        params: { path: { transfer_id: id }, header: { 'Idempotency-Key': key } },
        signal,
      })
    )
  invariants: LedgerGateway['invariants'] = () =>
    this.#call((signal) => this.#client.GET('/v1/invariants', { signal }))

  health = async () => {
    try {
      const { response } = await this.#client.GET('/health', { signal: AbortSignal.timeout(1_000) })
      return response.ok
    } catch {
      return false
    }
  }

  close = () => this.#transport.close()

  async #call<T>(request: LedgerCall<T>): Promise<T> {
    return (await this.#replayable(request)).body
  }

  async #replayable<T>(request: LedgerCall<T>) {
    try {
      return await this.#policy.execute(async ({ signal }) => {
        let result
        try {
          result = await request(signal)
        } catch (error) {
          const code = (error as { code?: string }).code
          throw new Outage((error as Error).message, !never_sent_codes.has(code ?? ''))
        }
        const { data, error, response } = result
        if ([502, 503, 504].includes(response.status))
          throw new Outage(`ledger answered ${response.status}`)
        if (response.status >= 500) throw new Transient(`ledger answered ${response.status}`)
        if (response.status === 409 && error?.code === 'idempotency_key_in_use')
          throw new KeyInUse(new LedgerRefusal(error.code, response.status, error.detail))
        const replayed = response.headers.get('idempotent-replayed') === 'true'
        if (error) throw new LedgerRefusal(error.code, response.status, error.detail, replayed)
        return {
          status: response.status,
          body: data as T,
          replayed,
        }
      })
    } catch (error) {
      if (error instanceof KeyInUse) throw error.refusal
      if (error instanceof Transient) throw new LedgerUnavailable(error.message, error.sent)
      if (error instanceof BrokenCircuitError) throw new LedgerUnavailable(error.message, false)
      if (error instanceof TaskCancelledError)
        throw new LedgerUnavailable('ledger-core did not answer in time', true)
      throw error
    }
  }
}
