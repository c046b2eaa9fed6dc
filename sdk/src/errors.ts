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

  constructor(problem: Problem, retryAfter?: number) {
    super(`${problem.code}: ${problem.detail}`)
    this.name = 'PurseApiError'
    this.status = problem.status
    this.code = problem.code
    this.detail = problem.detail
    this.fieldErrors = problem.errors ?? []
    this.requestId = problem.request_id
    this.retryAfter = retryAfter
  }
}

/** The request never got an answer (network error or timeout). */
export class PurseNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PurseNetworkError'
  }
}
