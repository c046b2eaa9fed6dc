import { setTimeout } from 'node:timers/promises'
import { Agent, request } from 'undici'

/**
 * How the ledger client's requests travel: openapi-fetch builds and types
 * each request; undici's request API carries it over kept-alive connections.
 *
 * Why not WHATWG fetch: measured under the payment benchmark, fetch's Request,
 * Response, Headers and web-stream objects (and the AbortSignal each call
 * aborted) cost the API more CPU per payment than the rest of the payment
 * path together. openapi-fetch lets a client bring its own Request and fetch;
 * these two carry only what it and RemoteLedger read.
 */
export function ledgerTransport(options: { connections: number }) {
  const dispatcher = new Agent({ connections: options.connections, keepAliveTimeout: 10_000 })
  const send = async (input: LedgerRequest): Promise<Response> => {
    const answer = await request(input.url, {
      method: input.method as 'GET' | 'POST',
      headers: Object.fromEntries(input.headers),
      body: input.body,
      signal: input.signal,
      dispatcher,
    })
    return new LedgerResponse(answer.statusCode, answer.headers, await answer.body.text()) as any
  }
  return {
    Request: LedgerRequest as unknown as typeof Request,
    fetch: send as unknown as typeof fetch,
    /**
     * Called once the HTTP server has closed, so nothing is in flight: a
     * socket that does not finish closing within a second is dropped rather
     * than allowed to hold up the process's stop.
     */
    close: async () => {
      const closed = await Promise.race([
        dispatcher.close().then(() => true),
        setTimeout(1_000, false),
      ])
      if (!closed) await dispatcher.destroy()
    },
  }
}

/** The parts of a Request that openapi-fetch fills in and `send` reads. */
class LedgerRequest {
  readonly url: string
  readonly method: string
  readonly headers: Headers
  readonly body?: string
  readonly signal?: AbortSignal

  constructor(url: string, init: RequestInit) {
    this.url = url
    this.method = init.method ?? 'GET'
    this.headers = init.headers as Headers
    this.body = init.body as string | undefined
    this.signal = init.signal ?? undefined
  }
}

/** The parts of a Response that openapi-fetch and RemoteLedger read. */
class LedgerResponse {
  readonly headers: { get(name: string): string | null }
  readonly #text: string

  constructor(
    readonly status: number,
    raw: Record<string, string | string[] | undefined>,
    text: string
  ) {
    this.#text = text
    this.headers = {
      get: (name) => {
        const value = raw[name.toLowerCase()]
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
      },
    }
  }

  get ok() {
    return this.status >= 200 && this.status < 300
  }

  async text() {
    return this.#text
  }

  async json() {
    return JSON.parse(this.#text)
  }
}
