import { mfaChallengeOf, PurseApiError, type PurseClient } from '@purse/sdk'
import type { AuthProvider } from 'react-admin'

export type StaffRole = 'support' | 'admin'
const staff_roles = new Set(['support', 'admin'])

/**
 * Sign-in for support staff over the SDK. The server checks roles on every
 * admin route; this only keeps people without a staff role out of the
 * console and tells the screens what to hide.
 */
export function createAuthProvider(purse: PurseClient): AuthProvider {
  let me: Awaited<ReturnType<PurseClient['me']>> | null = null

  async function currentUser() {
    if (!me && !(await purse.tokens.get())) throw new Error('Sign in first')
    me ??= await purse.me()
    return me
  }

  return {
    async login({ email, password, code }: { email: string; password: string; code?: string }) {
      me = null
      const session = await purse.auth
        .login({ email, password })
        .catch((error) => secondStep(purse, error, code?.trim()))
        .catch((error) => {
          if (error instanceof Error && !(error instanceof PurseApiError)) throw error
          throw new Error(error instanceof PurseApiError ? error.detail : 'Purse cannot be reached')
        })
      if (!staff_roles.has(session.user.role)) {
        await purse.auth.logout().catch(() => undefined)
        throw new Error('This console is for support staff. Your account has no staff role.')
      }
      me = session.user
    },

    async logout() {
      me = null
      if (await purse.tokens.get()) await purse.auth.logout().catch(() => undefined)
    },

    async checkAuth() {
      const user = await currentUser()
      if (!staff_roles.has(user.role)) throw new Error('No staff role')
    },

    async checkError(error: unknown) {
      // 401: the session is over (the SDK already tried a refresh). A 403 is
      // shown where it happened; if the role was taken away, checkAuth signs
      // the person out on their next step.
      if (error instanceof PurseApiError && error.status === 401) {
        me = null
        throw error
      }
    },

    async getIdentity() {
      const user = await currentUser()
      return { id: user.id, fullName: `${user.full_name} (${user.role})` }
    },

    async getPermissions(): Promise<StaffRole> {
      return (await currentUser()).role as StaffRole
    },
  }
}

/**
 * Staff with two-step sign-in give the authenticator's code (or a recovery
 * code, `xxxxx-xxxxx`) on the same form; without one they are asked for it.
 */
async function secondStep(purse: PurseClient, error: unknown, code: string | undefined) {
  const challenge = mfaChallengeOf(error)
  if (!challenge) throw error
  if (!code)
    throw new Error('Two-step sign-in is on: enter the code from your authenticator app too.')
  const proof = /^\d{6}$/.test(code) ? { code } : { recovery_code: code }
  return purse.auth.completeMfa(challenge.mfaToken, proof)
}
