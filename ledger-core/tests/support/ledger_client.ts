import { randomUUID } from 'node:crypto'
import { ContractChecker } from '../../src/testing/contract_checker.ts'

export interface LedgerResponse<T = any> {
  status: number
  body: T
  headers: Headers
  /** The body as sent, byte for byte. */
  text: string
}

let checker: Promise<ContractChecker> | null = null
export function contractChecker(): Promise<ContractChecker> {
  checker ??= ContractChecker.load(new URL('../../openapi.yaml', import.meta.url))
  return checker
}

/**
 * A test client for a running ledger-core over real HTTP. Every response is
 * checked against openapi.yaml before the test sees it.
 */
export class LedgerClient {
  readonly baseUrl: string
  readonly token: string

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl
    this.token = token
  }

  async request<T = any>(
    method: string,
    path: string,
    options: {
      body?: unknown
      rawBody?: string | Buffer
      headers?: Record<string, string>
      token?: string | null
    } = {}
  ): Promise<LedgerResponse<T>> {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token === undefined ? this.token : options.token
    if (token !== null) headers.authorization = `Bearer ${token}`
    let body: string | Buffer | undefined = options.rawBody
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    // The path as sent: fetch resolves dot segments (`/a/./b` is `/a/b`).
    const url = new URL(`${this.baseUrl}${path}`)
    const response = await fetch(url, { method, headers, body })
    const text = await response.text()
    const contentType = response.headers.get('content-type')
    const parsed = contentType?.includes('json') && text ? JSON.parse(text) : text
    ;(await contractChecker()).check(method, url.pathname, response.status, contentType, parsed)
    return { status: response.status, body: parsed as T, headers: response.headers, text }
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path)
  }

  /** POST with a fresh idempotency key unless one is given. */
  post<T = any>(path: string, body?: unknown, key: string | null = randomUUID()) {
    return this.request<T>('POST', path, {
      body,
      headers: key === null ? {} : { 'idempotency-key': key },
    })
  }

  async account(owner_ref: string, currency = 'USD', extra: Record<string, unknown> = {}) {
    const response = await this.post('/v1/accounts', { owner_ref, currency, ...extra }, null)
    if (response.status >= 300)
      throw new Error(`ensure account failed: ${JSON.stringify(response.body)}`)
    return response.body
  }

  /** A system account that may go negative, to fund test accounts from. */
  async fundingAccount(currency = 'USD') {
    return this.account(`system:funding:${currency}`, currency, {
      kind: 'system',
      allow_negative: true,
    })
  }

  async transfer(
    debit: string,
    credit: string,
    amount: number,
    extra: Record<string, unknown> = {},
    key?: string
  ) {
    return this.post(
      '/v1/transfers',
      { debit_account_id: debit, credit_account_id: credit, amount, currency: 'USD', ...extra },
      key
    )
  }

  /** A user account holding `amount`. */
  async fundedAccount(owner_ref: string, amount: number, currency = 'USD') {
    const funding = await this.fundingAccount(currency)
    const account = await this.account(owner_ref, currency)
    if (amount > 0) {
      const response = await this.post('/v1/transfers', {
        debit_account_id: funding.id,
        credit_account_id: account.id,
        amount,
        currency,
      })
      if (response.status !== 201)
        throw new Error(`funding failed: ${JSON.stringify(response.body)}`)
    }
    return account
  }
}

export function uniqueRef(prefix = 'user'): string {
  return `${prefix}:${randomUUID()}`
}
