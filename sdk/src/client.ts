import createClient from 'openapi-fetch'
import { PurseApiError, PurseNetworkError, type Problem } from './errors.ts'
import type { components, paths } from './generated/public.ts'
import { memoryTokenStore, type TokenStore, type Tokens } from './tokens.ts'

type Schemas = components['schemas']
export type Transfer = Schemas['Transfer']
export type Wallet = Schemas['Wallet']
export type User = Schemas['User']
export type Session = Schemas['Session']
export type AdminTransfer = Schemas['AdminTransfer']
export type AdminOverview = Schemas['AdminOverview']
export type UserWithWallets = Schemas['UserWithWallets']
export type Statement = Schemas['Statement']
export type AuditEntry = Schemas['AuditPage']['data'][number]

type TransferBody = paths['/api/v1/transfers']['post']['requestBody']['content']['application/json']
/** A payment names its receiver exactly once: by email or by id. */
export type SendMoney = Omit<TransferBody, 'receiver_email' | 'receiver_id'> &
  (
    | { receiver_email: string; receiver_id?: never }
    | { receiver_id: string; receiver_email?: never }
  )

type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never

export interface PurseClientOptions {
  /** Where the API lives, e.g. https://api.purse.example (no trailing /api/v1). */
  baseUrl: string
  /** A session to start with; kept in `tokenStore`. */
  tokens?: Tokens
  /** Where tokens live; memory by default. */
  tokenStore?: TokenStore
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch
  /** Per attempt; 10 s by default. */
  timeoutMs?: number
  /** Retries of a retryable failure (network, 409 in progress, 429, 5xx); 3 by default. */
  maxRetries?: number
  /** Called once when the session cannot be refreshed; sign the person in again. */
  onSessionExpired?: () => void
}

export interface RequestOptions {
  /** Reuse it to retry an operation yourself; generated when left out. */
  idempotencyKey?: string
}

const auth_routes = /\/api\/v1\/auth\/(login|register|refresh)$/
const retry_delay_ms_base = 200
const retry_delay_ms_max = 5_000

/**
 * The Purse client. Every method returns the answer's data or throws a
 * PurseApiError (a problem+json answer) or a PurseNetworkError. Money-moving
 * calls always carry an Idempotency-Key and retry with that same key, so a
 * retried payment is never paid twice.
 */
export function createPurseClient(options: PurseClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const store = options.tokenStore ?? memoryTokenStore(options.tokens ?? null)
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxRetries = options.maxRetries ?? 3
  let refreshing: Promise<boolean> | null = null

  async function timedFetch(request: Request): Promise<Response> {
    try {
      return await baseFetch(new Request(request, { signal: AbortSignal.timeout(timeoutMs) }))
    } catch (error) {
      throw new PurseNetworkError(
        `no answer from ${request.method} ${new URL(request.url).pathname}`,
        { cause: error }
      )
    }
  }

  /** One refresh at a time, shared by every call that met a 401 meanwhile. */
  function refreshOnce(): Promise<boolean> {
    refreshing ??= (async () => {
      const current = await store.get()
      if (!current) return false
      const response = await timedFetch(
        new Request(`${baseUrl}/api/v1/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: current.refresh_token }),
        })
      )
      if (!response.ok) {
        await store.set(null)
        options.onSessionExpired?.()
        return false
      }
      const pair = (await response.json()) as Tokens
      await store.set({ access_token: pair.access_token, refresh_token: pair.refresh_token })
      return true
    })().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  /** Adds the access token; on a 401, refreshes (once for everyone) and replays the request. */
  async function authedFetch(request: Request): Promise<Response> {
    if (auth_routes.test(new URL(request.url).pathname)) return timedFetch(request)
    const replay = request.clone()
    const tokens = await store.get()
    if (tokens) request.headers.set('authorization', `Bearer ${tokens.access_token}`)
    const response = await timedFetch(request)
    if (response.status !== 401 || !tokens) return response
    const latest = await store.get()
    // Someone else may have refreshed while this request was out.
    const fresh = latest && latest.access_token !== tokens.access_token ? true : await refreshOnce()
    const now = await store.get()
    if (!fresh || !now) return response
    replay.headers.set('authorization', `Bearer ${now.access_token}`)
    return timedFetch(replay)
  }

  const api = createClient<paths>({ baseUrl, fetch: authedFetch })

  type Result<T> = { data?: T; error?: unknown; response: Response }

  /** Unwrap an answer, retrying what is safe to retry: with back-off, full jitter and Retry-After. */
  async function call<T>(attempt: () => Promise<Result<T>>, retries = 0): Promise<T> {
    for (let i = 0; ; i++) {
      let result: Result<T>
      try {
        result = await attempt()
      } catch (error) {
        if (error instanceof PurseNetworkError && i < retries) {
          await sleep(backoff(i))
          continue
        }
        throw error
      }
      const { data, error, response } = result
      if (response.ok) return data as T
      const retryAfter = Number(response.headers.get('retry-after')) || undefined
      const problem = toProblem(error, response)
      const retryable =
        response.status >= 500 ||
        response.status === 429 ||
        problem.code === 'idempotency_key_in_use'
      if (!retryable || i >= retries) throw new PurseApiError(problem, retryAfter)
      await sleep(retryAfter ? retryAfter * 1000 : backoff(i))
    }
  }

  /** Keyset pages, newest first, as an async iterator: each item once, even while new ones arrive. */
  function paginate<T>(
    fetchPage: (cursor?: string) => Promise<{ data: T[]; next_cursor: string | null }>
  ) {
    return {
      async *[Symbol.asyncIterator]() {
        let cursor: string | undefined
        do {
          const page = await fetchPage(cursor)
          yield* page.data
          cursor = page.next_cursor ?? undefined
        } while (cursor)
      },
      page: fetchPage,
    }
  }

  const withSession = async (session: Session) => {
    await store.set({ access_token: session.access_token, refresh_token: session.refresh_token })
    return session
  }

  return {
    /** The typed openapi-fetch client, for calls without a helper (admin routes). */
    raw: api,
    tokens: store,

    auth: {
      register: async (
        body: paths['/api/v1/auth/register']['post']['requestBody']['content']['application/json']
      ) => withSession(await call(() => api.POST('/api/v1/auth/register', { body }))),
      login: async (body: { email: string; password: string }) =>
        withSession(await call(() => api.POST('/api/v1/auth/login', { body }))),
      refresh: () => refreshOnce(),
      logout: async () => {
        const tokens = await store.get()
        if (tokens)
          await call(() =>
            api.POST('/api/v1/auth/logout', { body: { refresh_token: tokens.refresh_token } })
          )
        await store.set(null)
      },
    },

    me: () => call(() => api.GET('/api/v1/me'), maxRetries),

    wallets: {
      list: async () => (await call(() => api.GET('/api/v1/wallets'), maxRetries)).data,
      /** The USD wallet (opened on first use), from the wallet list. */
      usd: async () => {
        const { data } = await call(() => api.GET('/api/v1/wallets'), maxRetries)
        return data.find((wallet) => wallet.currency === 'USD')!
      },
      open: (currency: string) =>
        call(() => api.POST('/api/v1/wallets', { body: { currency } }), maxRetries),
      /** Entries oldest first with the balance after each. */
      statement: async (currency: string, range: { from?: string; to?: string } = {}) => {
        const data = await call(
          () =>
            api.GET('/api/v1/wallets/{currency}/statement', {
              params: { path: { currency }, query: range },
              headers: { accept: 'application/json' },
            }),
          maxRetries
        )
        if (typeof data === 'string')
          throw new TypeError('the statement came back as text, not JSON')
        return data
      },
      /** The same statement as CSV text, for spreadsheets. */
      statementCsv: async (currency: string, range: { from?: string; to?: string } = {}) => {
        const data = await call(
          () =>
            api.GET('/api/v1/wallets/{currency}/statement', {
              params: { path: { currency }, query: range },
              headers: { accept: 'text/csv' },
              parseAs: 'text',
            }),
          maxRetries
        )
        return String(data)
      },
    },

    /** Support and admin routes; the server checks the caller's role on every one. */
    admin: {
      overview: (query: Query<'/api/v1/admin/overview'> = {}) =>
        call(() => api.GET('/api/v1/admin/overview', { params: { query } }), maxRetries),
      invariants: () => call(() => api.GET('/api/v1/admin/ledger/invariants'), maxRetries),
      users: {
        list: (query: Query<'/api/v1/admin/users'> = {}) =>
          call(() => api.GET('/api/v1/admin/users', { params: { query } }), maxRetries),
        get: (id: string) =>
          call(() => api.GET('/api/v1/admin/users/{id}', { params: { path: { id } } }), maxRetries),
        /** Freezing is idempotent: retried safely. */
        freeze: (id: string, reason: string) =>
          call(
            () =>
              api.POST('/api/v1/admin/users/{id}/freeze', {
                params: { path: { id } },
                body: { reason },
              }),
            maxRetries
          ),
        unfreeze: (id: string, reason: string) =>
          call(
            () =>
              api.POST('/api/v1/admin/users/{id}/unfreeze', {
                params: { path: { id } },
                body: { reason },
              }),
            maxRetries
          ),
      },
      transfers: {
        list: (query: Query<'/api/v1/admin/transfers'> = {}) =>
          call(() => api.GET('/api/v1/admin/transfers', { params: { query } }), maxRetries),
        get: (id: string) =>
          call(
            () => api.GET('/api/v1/admin/transfers/{id}', { params: { path: { id } } }),
            maxRetries
          ),
        /** Admin only. The server keys it on the transfer, so retries and double clicks reverse once. */
        reverse: (id: string, reason: string) =>
          call(
            () =>
              api.POST('/api/v1/admin/transfers/{id}/reversal', {
                params: { path: { id } },
                body: { reason },
              }),
            maxRetries
          ),
      },
      wallets: {
        /** Admin only. Positive credits the wallet, negative debits it; retried with one key. */
        adjust: (
          id: string,
          body: { amount: number; reason: string },
          opts: RequestOptions = {}
        ) => {
          const key = opts.idempotencyKey ?? crypto.randomUUID()
          return call(
            () =>
              api.POST('/api/v1/admin/wallets/{id}/adjustments', {
                params: { path: { id }, header: { 'Idempotency-Key': key } },
                body,
              }),
            maxRetries
          )
        },
        statement: async (id: string, range: { from?: string; to?: string } = {}) => {
          const data = await call(
            () =>
              api.GET('/api/v1/admin/wallets/{id}/statement', {
                params: { path: { id }, query: range },
                headers: { accept: 'application/json' },
              }),
            maxRetries
          )
          if (typeof data === 'string')
            throw new TypeError('the statement came back as text, not JSON')
          return data
        },
        statementCsv: async (id: string, range: { from?: string; to?: string } = {}) =>
          String(
            await call(
              () =>
                api.GET('/api/v1/admin/wallets/{id}/statement', {
                  params: { path: { id }, query: range },
                  headers: { accept: 'text/csv' },
                  parseAs: 'text',
                }),
              maxRetries
            )
          ),
      },
      auditLog: (query: Query<'/api/v1/admin/audit-log'> = {}) =>
        call(() => api.GET('/api/v1/admin/audit-log', { params: { query } }), maxRetries),
    },

    deposits: {
      create: (body: { amount: number; currency?: string }, opts: RequestOptions = {}) => {
        const key = opts.idempotencyKey ?? crypto.randomUUID()
        return call(
          () =>
            api.POST('/api/v1/deposits', { body, params: { header: { 'Idempotency-Key': key } } }),
          maxRetries
        )
      },
    },

    transfers: {
      /** Send money. Retried safely: every attempt carries the same Idempotency-Key. */
      create: (body: SendMoney, opts: RequestOptions = {}): Promise<Transfer> => {
        const key = opts.idempotencyKey ?? crypto.randomUUID()
        return call(
          () =>
            api.POST('/api/v1/transfers', { body, params: { header: { 'Idempotency-Key': key } } }),
          maxRetries
        )
      },
      get: (id: string) =>
        call(() => api.GET('/api/v1/transfers/{id}', { params: { path: { id } } }), maxRetries),
      list: (query: { direction?: 'sent' | 'received' | 'all'; limit?: number } = {}) =>
        paginate((cursor) =>
          call(
            () => api.GET('/api/v1/transfers', { params: { query: { ...query, cursor } } }),
            maxRetries
          )
        ),
    },
  }
}

export type PurseClient = ReturnType<typeof createPurseClient>

function toProblem(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && 'code' in error) return error as Problem
  return {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    code: response.status >= 500 ? 'internal_error' : 'validation_failed',
    detail: typeof error === 'string' ? error : `HTTP ${response.status}`,
    request_id: response.headers.get('x-request-id') ?? '',
  }
}

function backoff(attempt: number): number {
  // Full jitter: spread retries of many clients instead of synchronising them.
  return Math.random() * Math.min(retry_delay_ms_max, retry_delay_ms_base * 2 ** attempt)
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
