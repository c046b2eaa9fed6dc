import { symbols, errors } from '@adonisjs/auth'
import type { AuthClientResponse, GuardContract } from '@adonisjs/auth/types'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { apiKeys, looksLikeApiKey, type ApiKeyGrant } from '#identity/api_keys'
import { revocations } from '#identity/revocation_service'
import { tokens, type AccessClaims } from '#identity/token_service'
import { RecentValues } from '#platform/recent_values'

/**
 * Callers loaded in the last two seconds. Under load the same person calls
 * many times a second, and their row is a database round trip each time.
 * What a stale row could get wrong is read fresh where it decides something:
 * roles by the role middleware (admin routes), the profile by /me; a frozen
 * sender is refused by ledger-core whatever the app remembers, and a
 * remembered frozen one is looked up again before a refusal.
 */
const recentUsers = new RecentValues<User>(2_000)

/**
 * An @adonisjs/auth guard for bearer credentials: a person's HS256 access
 * token (verified by jose in TokenService), or a partner's API key
 * (`purse_test_…`, `purse_live_…`), whose scopes the auth middleware checks
 * per route. Any bad token (wrong algorithm, `none` included, key,
 * audience, issuer, expired, revoked, or a user that no longer exists) is a
 * clean 401, never a 500.
 */
export class BearerGuard implements GuardContract<User> {
  declare [symbols.GUARD_KNOWN_EVENTS]: {}
  readonly driverName = 'bearer'
  authenticationAttempted = false
  isAuthenticated = false
  user?: User
  /** The verified claims of the current request's access token; none for an API key. */
  claims?: AccessClaims
  /** The API key the request was made with; none for an access token. */
  apiKey?: ApiKeyGrant['key']

  readonly #ctx: HttpContext

  constructor(ctx: HttpContext) {
    this.#ctx = ctx
  }

  async authenticate(): Promise<User> {
    if (this.authenticationAttempted) return this.getUserOrFail()
    this.authenticationAttempted = true
    const header = this.#ctx.request.header('authorization') ?? ''
    const [scheme, token] = header.split(' ')
    // An authentication scheme's name is case-insensitive (RFC 9110 §11.1).
    if (scheme?.toLowerCase() !== 'bearer' || !token || token.length > 4096)
      throw this.#unauthorized()
    if (looksLikeApiKey(token)) {
      const grant = await apiKeys.authenticate(token)
      if (!grant) throw this.#unauthorized()
      this.user = grant.user
      this.apiKey = grant.key
      this.isAuthenticated = true
      return grant.user
    }
    const claims = await tokens.verifyAccessToken(token)
    if (!claims) throw this.#unauthorized()
    // The revocation list may still be loading and the user may need a query: both at once.
    const [revoked, user] = await Promise.all([
      revocations.isRevoked(claims.jti, claims.sid),
      recentUsers.get(claims.sub, () => User.find(claims.sub)),
    ])
    if (revoked || !user) throw this.#unauthorized()
    this.user = user
    this.claims = claims
    this.isAuthenticated = true
    return user
  }

  async check(): Promise<boolean> {
    try {
      await this.authenticate()
      return true
    } catch (error) {
      if (error instanceof errors.E_UNAUTHORIZED_ACCESS) return false
      throw error
    }
  }

  getUserOrFail(): User {
    if (!this.user) throw this.#unauthorized()
    return this.user
  }

  async authenticateAsClient(user: User): Promise<AuthClientResponse> {
    const pair = await tokens.issue(user, { userAgent: 'test client', ipPrefix: null })
    return { headers: { authorization: `Bearer ${pair.access_token}` } }
  }

  #unauthorized() {
    return new errors.E_UNAUTHORIZED_ACCESS('Unauthorized access', {
      guardDriverName: this.driverName,
    })
  }
}
