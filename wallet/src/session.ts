import type { Session, User } from '@purse/sdk'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useSearchParams } from 'react-router'
import { purse, queryClient, sessionEnded } from './purse.ts'

const session_key = ['session'] as const

/**
 * The tabs of this browser share one session cookie: when one signs in or
 * out, the others start again from the cookie, so no tab goes on showing
 * one person while its requests act as another.
 */
const otherTabs = new BroadcastChannel('purse-session')
otherTabs.addEventListener('message', () => globalThis.location.reload())

/** On load: the cookie's session, if it still holds one, and who it belongs to. */
async function resume(): Promise<User | null> {
  if (!(await purse.auth.resume())) return null
  return purse.me()
}

/** The signed-in person (null when no one is), shared by every screen. */
export function useSession() {
  return useQuery({
    queryKey: session_key,
    queryFn: resume,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  })
}

/**
 * Sign-in or sign-up: on success, the person is known without asking again
 * and the app goes where the person was headed (`?next=`).
 */
export function useStartSession(start: (form: FormData) => Promise<Session>) {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const navigate = useNavigate()
  const mutation = useMutation({
    mutationFn: start,
    onSuccess: (session) => {
      queryClient.setQueryData(session_key, session.user)
      otherTabs.postMessage('changed')
      void navigate(next, { replace: true })
    },
  })
  return { mutation, next, nextQuery: next === '/' ? '' : `?next=${encodeURIComponent(next)}` }
}

/** Someone else's data must never outlive their session in this tab. */
function ended() {
  // The session query itself stays (its observers would wait forever for a removed query).
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== session_key[0] })
  queryClient.setQueryData(session_key, null)
}
sessionEnded.addEventListener('ended', ended)

export async function signOut() {
  try {
    await purse.auth.logout()
  } finally {
    ended()
    otherTabs.postMessage('changed')
  }
}

/** The person changed (frozen, unfrozen): read them again. */
export async function reloadPerson() {
  queryClient.setQueryData(session_key, await purse.me())
}

/** A place to go back to after signing in: a path of this app, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/'
}
