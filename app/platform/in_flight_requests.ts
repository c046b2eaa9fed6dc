/**
 * Requests whose handler is still running. Node's server only knows
 * connections: a client that hangs up mid-payment closes its connection
 * while the handler goes on to move the money and write its history row.
 * So a stopping server waits for this, not for its connections, before it
 * closes the ledger and the pools such a handler still needs.
 */
class InFlightRequests {
  #count = 0
  #waiting: (() => void)[] = []

  get count() {
    return this.#count
  }

  started() {
    this.#count++
  }

  finished() {
    this.#count--
    if (this.#count === 0) for (const wake of this.#waiting.splice(0)) wake()
  }

  /** Resolves once no handler is running. */
  drained(): Promise<void> {
    if (this.#count === 0) return Promise.resolve()
    return new Promise((resolve) => this.#waiting.push(resolve))
  }
}

export const inFlightRequests = new InFlightRequests()
