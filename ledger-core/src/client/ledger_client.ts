import createClient from 'openapi-fetch'
import type { paths } from '../contract/types.ts'

/**
 * @purse/ledger-core/client: a typed client for ledger-core's service API,
 * generated from its contract (openapi.yaml), for services that hold its
 * token (the Purse app).
 */
export function createLedgerClient(options: {
  baseUrl: string
  token: string
  /** A fetch and the Request class it takes, for callers that bring their own transport. */
  fetch?: typeof fetch
  Request?: typeof Request
}) {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    fetch: options.fetch,
    Request: options.Request,
  })
}

export type LedgerClient = ReturnType<typeof createLedgerClient>
export type { paths as LedgerPaths, components as LedgerComponents } from '../contract/types.ts'
