import createClient from 'openapi-fetch'
import { PurseApiError, PurseNetworkError, type Problem } from './errors.ts'
import type { components, paths } from './generated/public.ts'
import { eventStream, type EventStreamOptions } from './event_stream.ts'
import { memoryTokenStore, type TokenStore, type Tokens } from './tokens.ts'
import { verifyWebhook } from './webhooks.ts'

type Schemas = components['schemas']
export type Transfer = Schemas['Transfer']
export type Wallet = Schemas['Wallet']
export type User = Schemas['User']
export type Session = Schemas['Session']
export type SignedInSession = Schemas['SignedInSession']
export type SecondFactors = Schemas['SecondFactors']
export type Passkey = Schemas['Passkey']
export type PaymentRequest = Schemas['PaymentRequest']
export type Proposal = Schemas['Proposal']
export type Claim = Schemas['Claim']
export type LimitState = Schemas['LimitStates']['data'][number]
export type AdminTransfer = Schemas['AdminTransfer']
export type AdminOverview = Schemas['AdminOverview']
export type UserWithWallets = Schemas['UserWithWallets']
export type Statement = Schemas['Statement']
export type AuditEntry = Schemas['AuditPage']['data'][number]
export type ApiKey = Schemas['ApiKey']
export type Scope = Schemas['Scope']
export type EventType = Schemas['EventType']
export type WebhookEndpoint = Schemas['WebhookEndpoint']
export type WebhookAttempt = Schemas['WebhookAttempt']
type Body<P extends keyof paths, M extends 'post' | 'patch' | 'put'> = paths[P] extends {
  [K in M]: { requestBody?: { content: { 'application/json': infer B } } }
}
  ? B
  : never

type TransferBody = paths['/api/v1/transfers']['post']['requestBody']['content']['application/json']
/** A payment names its receiver exactly once: by email or by id. */
export type SendMoney = Omit<TransferBody, 'receiver_email' | 'receiver_id' | 'claimable'> &
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
  /**
   * An API key (`purse_live_…`) for a partner's server: every call is made
   * with it, within its scopes, and there is no session to sign in or refresh.
   */
  apiKey?: string
  /**
   * `cookie`, for a browser app served by Purse itself: the refresh token
   * stays in an HttpOnly cookie page scripts cannot read, the access token
   * only in memory; `auth.resume()` restores the session after a reload.
   * `body` (the default) keeps both tokens in the token store.
   */
  session?: 'body' | 'cookie'
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

/** One proof of a second factor. */
export type SecondFactorProof =
  { code: string } | { recovery_code: string } | { passkey: Record<string, unknown> }

export interface RequestOptions {
  /** Reuse it to retry an operation yourself; generated when left out. */
  idempotencyKey?: string
}

/** Routes that start a session (or refresh it): never sent a token, never refreshed on a 401. */
const auth_routes =
  /\/api\/v1\/auth\/(login(\/mfa(\/passkey-options)?|\/passkey(\/options)?)?|register|refresh)$/
const retry_delay_ms_base = 200
const retry_delay_ms_max = 5_000
/** The longest Retry-After the client waits out by itself. */
const retry_wait_ms_max = 10_000

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
  const cookieSession = options.session === 'cookie'
  /** Marks the auth calls of a cookie session (see the Purse-Session header in the contract). */
  const sessionHeaders: Record<string, string> = cookieSession ? { 'purse-session': 'cookie' } : {}

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

  /** A stream's request: no timeout, since it stays open. */
  async function streamFetch(request: Request): Promise<Response> {
    try {
      return await baseFetch(request)
    } catch (error) {
      if (request.signal.aborted) throw error
      throw new PurseNetworkError(`no answer from GET ${new URL(request.url).pathname}`, {
        cause: error,
      })
    }
  }

  /** One refresh at a time, shared by every call that met a 401 meanwhile. */
  function refreshOnce(): Promise<boolean> {
    refreshing ??= inSessionLock(async () => {
      const current = await store.get()
      // A cookie session may resume with nothing in memory (after a reload).
      if (!cookieSession && !current?.refresh_token) return false
      const response = await timedFetch(
        new Request(`${baseUrl}/api/v1/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...sessionHeaders },
          body: JSON.stringify(cookieSession ? {} : { refresh_token: current!.refresh_token }),
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
    }).finally(() => {
      refreshing = null
    })
    return refreshing
  }

  /**
   * Tabs of one cookie session share one cookie: two refreshing it at once
   * would send the same token twice, and the second would end the session
   * as a stolen token's reuse. The browser's Web Locks take their turns.
   */
  function inSessionLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks
    if (!cookieSession || !locks) return work()
    return locks.request('purse-session-refresh', work) as Promise<T>
  }

  /**
   * Adds the credential: the API key, or the session's access token; on a
   * 401 with a session, refreshes (once for everyone) and replays the request.
   */
  async function authedFetch(request: Request, send = timedFetch): Promise<Response> {
    if (options.apiKey) {
      request.headers.set('authorization', `Bearer ${options.apiKey}`)
      return send(request)
    }
    if (auth_routes.test(new URL(request.url).pathname)) return send(request)
    const replay = request.clone()
    const tokens = await store.get()
    if (tokens) request.headers.set('authorization', `Bearer ${tokens.access_token}`)
    const response = await send(request)
    if (response.status !== 401 || !tokens) return response
    const latest = await store.get()
    // Someone else may have refreshed while this request was out.
    const fresh = latest && latest.access_token !== tokens.access_token ? true : await refreshOnce()
    const now = await store.get()
    if (!fresh || !now) return response
    replay.headers.set('authorization', `Bearer ${now.access_token}`)
    return send(replay)
  }

  const api = createClient<paths>({ baseUrl, fetch: (request) => authedFetch(request) })

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
      // A wait longer than a person would sit through is theirs to decide on.
      const tooLong = retryAfter !== undefined && retryAfter * 1000 > retry_wait_ms_max
      if (!retryable || i >= retries || tooLong) throw new PurseApiError(problem, retryAfter)
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
      ) =>
        withSession(
          await call(() => api.POST('/api/v1/auth/register', { body, headers: sessionHeaders }))
        ),
      /** With a second factor on, throws mfa_required: see `mfaChallengeOf` and `completeMfa`. */
      login: async (body: { email: string; password: string }) =>
        withSession(
          await call(() => api.POST('/api/v1/auth/login', { body, headers: sessionHeaders }))
        ),
      /** A sign-in's second step: `{ code }`, `{ recovery_code }` or `{ passkey }` (an assertion). */
      completeMfa: async (mfaToken: string, proof: SecondFactorProof) =>
        withSession(
          await call(() =>
            api.POST('/api/v1/auth/login/mfa', {
              body: { mfa_token: mfaToken, ...proof },
              headers: sessionHeaders,
            })
          )
        ),
      /** WebAuthn options to answer a sign-in's second step with a passkey. */
      mfaPasskeyOptions: async (mfaToken: string) =>
        (
          await call(() =>
            api.POST('/api/v1/auth/login/mfa/passkey-options', { body: { mfa_token: mfaToken } })
          )
        ).options,
      /** Passwordless sign-in, step 1: options for navigator.credentials.get. */
      passkeyLoginOptions: () => call(() => api.POST('/api/v1/auth/login/passkey/options')),
      /** Passwordless sign-in, step 2: the browser's answer. */
      passkeyLogin: async (challengeId: string, response: Record<string, unknown>) =>
        withSession(
          await call(() =>
            api.POST('/api/v1/auth/login/passkey', {
              body: { challenge_id: challengeId, response },
              headers: sessionHeaders,
            })
          )
        ),
      /** Prove the second factor again: five minutes for large payments and account changes. */
      stepUp: (
        proof: { code: string } | { challenge_id: string; passkey: Record<string, unknown> }
      ) => call(() => api.POST('/api/v1/auth/step-up', { body: proof })),
      /** WebAuthn options for a passkey step-up. */
      stepUpOptions: () => call(() => api.POST('/api/v1/auth/step-up/options')),
      /** Mail a link to the new address; the account moves to it once the link is opened. */
      changeEmail: (email: string, currentPassword: string) =>
        call(() =>
          api.POST('/api/v1/auth/email', { body: { email, current_password: currentPassword } })
        ),
      refresh: () => refreshOnce(),
      /** A cookie session after a reload: true when the cookie still holds a session. */
      resume: () => (cookieSession ? refreshOnce() : Promise.resolve(false)),
      logout: async () => {
        const tokens = await store.get()
        const body = cookieSession ? {} : { refresh_token: tokens?.refresh_token ?? undefined }
        if (tokens)
          await call(() => api.POST('/api/v1/auth/logout', { body, headers: sessionHeaders }))
        await store.set(null)
      },
      /** The token from a verification link (`…/verify-email#token=…`); no session needed. */
      verifyEmail: (token: string) =>
        call(() => api.POST('/api/v1/auth/email/verify', { body: { token } })),
      /** Mail the verification link again (3 an hour); earlier links stop working. */
      resendVerification: () => call(() => api.POST('/api/v1/auth/email/resend')),
      /** Mail a reset link if the address has an account; the answer is the same either way. */
      forgotPassword: (email: string) =>
        call(() => api.POST('/api/v1/auth/password/forgot', { body: { email } })),
      /** Set a new password from a reset link's token; every session ends, so sign in again. */
      resetPassword: (token: string, password: string) =>
        call(() => api.POST('/api/v1/auth/password/reset', { body: { token, password } })),
      /** Change the password; the person's other sessions end, this one stays. */
      changePassword: (currentPassword: string, password: string) =>
        call(() =>
          api.POST('/api/v1/auth/password', {
            body: { current_password: currentPassword, password },
          })
        ),
    },

    /** The person's second factors: an authenticator app, passkeys and recovery codes. */
    mfa: {
      status: () => call(() => api.GET('/api/v1/auth/mfa'), maxRetries),
      /** A new secret and otpauth:// URI, shown once; on after `confirmTotp`. */
      beginTotp: () => call(() => api.POST('/api/v1/auth/mfa/totp')),
      /** Turns it on; the first second factor brings ten recovery codes (else null). */
      confirmTotp: (code: string) =>
        call(() => api.POST('/api/v1/auth/mfa/totp/confirm', { body: { code } })),
      disableTotp: (code: string) =>
        call(() => api.POST('/api/v1/auth/mfa/totp/disable', { body: { code } })),
      newRecoveryCodes: () => call(() => api.POST('/api/v1/auth/mfa/recovery-codes')),
      /** Options for navigator.credentials.create, and the challenge to send back. */
      passkeyOptions: () => call(() => api.POST('/api/v1/auth/passkeys/registration/options')),
      addPasskey: (body: {
        challenge_id: string
        response: Record<string, unknown>
        name?: string
      }) => call(() => api.POST('/api/v1/auth/passkeys', { body })),
      removePasskey: (id: string) =>
        call(() => api.DELETE('/api/v1/auth/passkeys/{id}', { params: { path: { id } } })),
    },

    /** The person's signed-in sessions (devices), and ending them. */
    sessions: {
      list: async () => (await call(() => api.GET('/api/v1/auth/sessions'), maxRetries)).data,
      end: (id: string) =>
        call(() => api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } })),
      endOthers: () => call(() => api.POST('/api/v1/auth/sessions/revoke-others')),
    },

    me: () => call(() => api.GET('/api/v1/me'), maxRetries),

    /** My payment limits per currency: each rule's limit, what is used, what is left, when it frees up. */
    limits: async (currency?: string) =>
      (
        await call(
          () => api.GET('/api/v1/limits', { params: { query: currency ? { currency } : {} } }),
          maxRetries
        )
      ).data,

    /** What this deployment allows: currencies, sandbox deposits, payment limits. */
    capabilities: () => call(() => api.GET('/api/v1/capabilities'), maxRetries),

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
        limits: async (id: string, currency?: string) =>
          (
            await call(
              () =>
                api.GET('/api/v1/admin/users/{id}/limits', {
                  params: { path: { id }, query: currency ? { currency } : {} },
                }),
              maxRetries
            )
          ).data,
        /** Admin only, audited; `value: null` goes back to the default. */
        setLimit: (id: string, body: Body<'/api/v1/admin/users/{id}/limits', 'put'>) =>
          call(
            () => api.PUT('/api/v1/admin/users/{id}/limits', { params: { path: { id } }, body }),
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
        /**
         * Admin only. The server keys it on the transfer, so retries and double
         * clicks reverse once. Above the approval threshold the answer is
         * `{ proposal }` for a second admin.
         */
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
      /** Staff money above the approval threshold, waiting for a second admin. */
      proposals: {
        list: (query: Query<'/api/v1/admin/proposals'> = {}) =>
          call(() => api.GET('/api/v1/admin/proposals', { params: { query } }), maxRetries),
        get: (id: string) =>
          call(
            () => api.GET('/api/v1/admin/proposals/{id}', { params: { path: { id } } }),
            maxRetries
          ),
        /** Admin only, never the proposer's own; the money moves once however often it is sent. */
        approve: (id: string, reason: string) =>
          call(
            () =>
              api.POST('/api/v1/admin/proposals/{id}/approve', {
                params: { path: { id } },
                body: { reason },
              }),
            maxRetries
          ),
        reject: (id: string, reason: string) =>
          call(
            () =>
              api.POST('/api/v1/admin/proposals/{id}/reject', {
                params: { path: { id } },
                body: { reason },
              }),
            maxRetries
          ),
      },
      wallets: {
        /**
         * Admin only. Positive credits the wallet, negative debits it; retried
         * with one key. Above the approval threshold the answer is
         * `{ proposal }`: nothing moves until a second admin approves it.
         */
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
      events: (query: Query<'/api/v1/admin/events'> = {}) =>
        call(() => api.GET('/api/v1/admin/events', { params: { query } }), maxRetries),
      security: {
        /** A person's signed-in sessions: devices and networks, never tokens. */
        sessions: async (userId: string) =>
          (
            await call(
              () =>
                api.GET('/api/v1/admin/users/{id}/sessions', { params: { path: { id: userId } } }),
              maxRetries
            )
          ).data,
        /** Sign a person out everywhere (a stolen password, say); audited. */
        endSessions: (userId: string, reason: string) =>
          call(() =>
            api.POST('/api/v1/admin/users/{id}/sessions/end', {
              params: { path: { id: userId } },
              body: { reason },
            })
          ),
        /** Mail a new verification link; audited. */
        resendVerification: (userId: string, reason: string) =>
          call(() =>
            api.POST('/api/v1/admin/users/{id}/verification-mail', {
              params: { path: { id: userId } },
              body: { reason },
            })
          ),
      },
      apiKeys: {
        /** A person's keys, never their secrets. */
        list: async (userId: string) =>
          (
            await call(
              () =>
                api.GET('/api/v1/admin/users/{id}/api-keys', { params: { path: { id: userId } } }),
              maxRetries
            )
          ).data,
        revoke: (id: string, reason: string) =>
          call(
            () =>
              api.POST('/api/v1/admin/api-keys/{id}/revoke', {
                params: { path: { id } },
                body: { reason },
              }),
            maxRetries
          ),
      },
      webhooks: {
        /** A person's endpoints, never their secrets. */
        endpoints: async (userId: string) =>
          (
            await call(
              () =>
                api.GET('/api/v1/admin/users/{id}/webhook-endpoints', {
                  params: { path: { id: userId } },
                }),
              maxRetries
            )
          ).data,
        attempts: (
          endpointId: string,
          query: Query<'/api/v1/admin/webhook-endpoints/{id}/attempts'> = {}
        ) =>
          call(
            () =>
              api.GET('/api/v1/admin/webhook-endpoints/{id}/attempts', {
                params: { path: { id: endpointId }, query },
              }),
            maxRetries
          ),
        /** Deliver the event to the endpoint once more. */
        resend: (endpointId: string, eventId: string, reason: string) =>
          call(() =>
            api.POST('/api/v1/admin/webhook-endpoints/{id}/resends', {
              params: { path: { id: endpointId } },
              body: { event_id: eventId, reason },
            })
          ),
      },
    },

    /** A person's API keys; signed in as the person (a key cannot manage keys). */
    apiKeys: {
      list: async () => (await call(() => api.GET('/api/v1/api-keys'), maxRetries)).data,
      /** The answer holds `secret`, shown this once: store it. */
      create: (body: Body<'/api/v1/api-keys', 'post'>) =>
        call(() => api.POST('/api/v1/api-keys', { body })),
      revoke: (id: string) =>
        call(() => api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } }), maxRetries),
    },

    events: {
      /** Every event, newest first, as an async iterator over pages. */
      list: (query: { type?: EventType; limit?: number } = {}) =>
        paginate((cursor) =>
          call(
            () => api.GET('/api/v1/events', { params: { query: { ...query, cursor } } }),
            maxRetries
          )
        ),
      get: (id: string) =>
        call(() => api.GET('/api/v1/events/{id}', { params: { path: { id } } }), maxRetries),
      /**
       * Events as they happen (Server-Sent Events), each once and in order,
       * reconnecting by itself with Last-Event-ID; ends when `signal` aborts.
       */
      stream: (opts: EventStreamOptions = {}) =>
        eventStream(
          (headers, signal) =>
            authedFetch(
              new Request(`${baseUrl}/api/v1/events/stream`, { headers, signal }),
              streamFetch
            ),
          opts
        ),
    },

    webhooks: {
      /** See verifyWebhook: the raw body, the headers, the endpoint's `whsec_` secret. */
      verify: verifyWebhook,
      endpoints: {
        list: async () => (await call(() => api.GET('/api/v1/webhook-endpoints'), maxRetries)).data,
        /** The answer holds `secret` (`whsec_…`), shown this once. */
        create: (body: Body<'/api/v1/webhook-endpoints', 'post'>) =>
          call(() => api.POST('/api/v1/webhook-endpoints', { body })),
        get: (id: string) =>
          call(
            () => api.GET('/api/v1/webhook-endpoints/{id}', { params: { path: { id } } }),
            maxRetries
          ),
        update: (id: string, body: Body<'/api/v1/webhook-endpoints/{id}', 'patch'>) =>
          call(
            () => api.PATCH('/api/v1/webhook-endpoints/{id}', { params: { path: { id } }, body }),
            maxRetries
          ),
        delete: (id: string) =>
          call(
            () => api.DELETE('/api/v1/webhook-endpoints/{id}', { params: { path: { id } } }),
            maxRetries
          ),
        /** A new secret, shown once; the old one keeps signing beside it for a day. */
        rotateSecret: (id: string) =>
          call(() =>
            api.POST('/api/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id } } })
          ),
        attempts: (id: string, query: { limit?: number } = {}) =>
          paginate((cursor) =>
            call(
              () =>
                api.GET('/api/v1/webhook-endpoints/{id}/attempts', {
                  params: { path: { id }, query: { ...query, cursor } },
                }),
              maxRetries
            )
          ),
      },
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
          // Without `claimable` the answer is always a transfer.
        ) as Promise<Transfer>
      },
      /**
       * Send to an email address, which may have no account yet: then the
       * money waits for whoever signs up with it and verifies it (a `Claim`,
       * see `claims`); to someone on Purse it is a normal payment (a `Transfer`).
       */
      createClaimable: (
        body: Omit<SendMoney, 'receiver_id' | 'receiver_email'> & { receiver_email: string },
        opts: RequestOptions = {}
      ): Promise<Transfer | Claim> => {
        const key = opts.idempotencyKey ?? crypto.randomUUID()
        return call(
          () =>
            api.POST('/api/v1/transfers', {
              body: { ...body, claimable: true },
              params: { header: { 'Idempotency-Key': key } },
            }),
          maxRetries
        ) as Promise<Transfer | Claim>
      },
      get: (id: string) =>
        call(() => api.GET('/api/v1/transfers/{id}', { params: { path: { id } } }), maxRetries),
      /**
       * Give back some (`amount`) or all of a payment you received; retried
       * safely with one Idempotency-Key, so it is refunded once.
       */
      refund: (
        id: string,
        body: { amount?: number; reason?: string } = {},
        opts: RequestOptions = {}
      ) => {
        const key = opts.idempotencyKey ?? crypto.randomUUID()
        return call(
          () =>
            api.POST('/api/v1/transfers/{id}/refunds', {
              params: { path: { id }, header: { 'Idempotency-Key': key } },
              body,
            }),
          maxRetries
        )
      },
      list: (query: { direction?: 'sent' | 'received' | 'all'; limit?: number } = {}) =>
        paginate((cursor) =>
          call(
            () => api.GET('/api/v1/transfers', { params: { query: { ...query, cursor } } }),
            maxRetries
          )
        ),
    },

    /** Money you sent to addresses with no account yet, and taking it back while it waits. */
    claims: {
      list: async () => (await call(() => api.GET('/api/v1/claims'), maxRetries)).data,
      cancel: (id: string) =>
        call(() => api.POST('/api/v1/claims/{id}/cancel', { params: { path: { id } } })),
    },

    /** Asking people for money, and answering what you were asked. */
    paymentRequests: {
      /** Name the payer by `payer_email` or `payer_id`; it waits 30 days for them. */
      create: (body: Body<'/api/v1/payment-requests', 'post'>) =>
        call(() => api.POST('/api/v1/payment-requests', { body })),
      /** `role: 'payer'`: what you were asked; `'payee'`: what you asked. Newest first. */
      list: (query: Omit<Query<'/api/v1/payment-requests'>, 'cursor'>) =>
        paginate((cursor) =>
          call(
            () => api.GET('/api/v1/payment-requests', { params: { query: { ...query, cursor } } }),
            maxRetries
          )
        ),
      get: (id: string) =>
        call(
          () => api.GET('/api/v1/payment-requests/{id}', { params: { path: { id } } }),
          maxRetries
        ),
      /**
       * Pay it: one transfer, however often this is called (retried for you;
       * every pay of a paid request answers its one transfer).
       */
      pay: (id: string) =>
        call(
          () => api.POST('/api/v1/payment-requests/{id}/pay', { params: { path: { id } } }),
          maxRetries
        ),
      decline: (id: string) =>
        call(() => api.POST('/api/v1/payment-requests/{id}/decline', { params: { path: { id } } })),
      cancel: (id: string) =>
        call(() => api.POST('/api/v1/payment-requests/{id}/cancel', { params: { path: { id } } })),
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
