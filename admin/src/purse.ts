import {
  createPurseClient,
  sessionStorageTokenStore,
  type PurseClient,
  type TokenStore,
} from '@purse/sdk'

/**
 * The console's one API client. Same origin as the API (served under
 * /admin, or proxied by Vite in development). The session lives in this tab
 * only: closing the tab signs the person out.
 */
export function createConsoleClient(
  options: { baseUrl?: string; tokenStore?: TokenStore } = {}
): PurseClient {
  return createPurseClient({
    baseUrl: options.baseUrl ?? globalThis.location.origin,
    tokenStore: options.tokenStore ?? sessionStorageTokenStore('purse.console.session'),
    // The console shows what failed; a person decides whether to try again.
    maxRetries: 1,
  })
}
