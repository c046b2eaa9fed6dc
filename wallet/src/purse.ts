import { createPurseClient } from '@purse/sdk'
import { QueryClient } from '@tanstack/react-query'

/** Signing out, or a session the server ended: every screen listens. */
export const sessionEnded = new EventTarget()

/**
 * The wallet's one API client. Same origin as the API (served under /app,
 * or proxied by Vite in development). The access token lives in this
 * client's memory only; the refresh token in an HttpOnly cookie no script
 * can read (`session: 'cookie'`), so a reload resumes the session.
 */
export const purse = createPurseClient({
  baseUrl: globalThis.location.origin,
  session: 'cookie',
  // A person waits for a payment: retry a dropped answer twice, then say so.
  maxRetries: 2,
  onSessionExpired: () => sessionEnded.dispatchEvent(new Event('ended')),
})

/** Balances come from the server: refetched when the window regains focus, never guessed. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: true,
      // The SDK already retried what is worth retrying.
      retry: false,
    },
  },
})
