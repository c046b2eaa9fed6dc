import type { components } from './generated/public.ts'

export type ProblemCode = components['schemas']['Problem']['code']
export type Problem = components['schemas']['Problem']

/** Any answer of the API that is not a success, as one typed error. */
export class PurseApiError extends Error {
  readonly status: number
  readonly code: ProblemCode
  readonly detail: string
  readonly fieldErrors: { field: string; message: string }[]
  readonly requestId: string | undefined
  /** Seconds the API asked to wait, on 429 and 503. */
  readonly retryAfter: number | undefined
  /** The whole answer, with its extra members (mfa_required's `mfa_token` and `methods`, …). */
  readonly problem: Problem

  constructor(problem: Problem, retryAfter?: number) {
    super(`${problem.code}: ${problem.detail}`)
    this.name = 'PurseApiError'
    this.status = problem.status
    this.code = problem.code
    this.detail = problem.detail
    this.fieldErrors = problem.errors ?? []
    this.requestId = problem.request_id
    this.retryAfter = retryAfter
    this.problem = problem
  }
}

/** The request never got an answer (network error or timeout). */
export class PurseNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PurseNetworkError'
  }
}

/**
 * A sign-in that needs its second step: pass `mfaToken` to
 * `auth.completeMfa` with a code, a recovery code or a passkey answer.
 */
export function mfaChallengeOf(error: unknown) {
  if (!(error instanceof PurseApiError) || error.code !== 'mfa_required') return null
  return {
    mfaToken: error.problem.mfa_token!,
    methods: error.problem.methods ?? [],
    expiresAt: error.problem.expires_at,
  }
}
