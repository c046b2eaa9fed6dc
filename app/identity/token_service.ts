import { createHash, randomBytes, randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { SignJWT, jwtVerify } from 'jose'
import { DateTime } from 'luxon'
import jwtConfig from '#config/jwt'
import { ApiError } from '#exceptions/api_error'
import RefreshToken from '#models/refresh_token'
import User from '#models/user'
import { revocations } from '#identity/revocation_service'
import type { Device } from '#identity/sessions'

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'Bearer'
  expires_in: number
}

export interface AccessClaims {
  sub: string
  jti: string
  exp: number
  /**
   * The session (refresh-token family) it was issued to; absent from tokens
   * issued before sessions were revocable.
   */
  sid?: string
}

/** Verified access tokens kept in memory; the oldest is dropped first. */
const verified_token_count_max = 10_000
const verified = new Map<string, AccessClaims>()

/**
 * Access tokens are HS256 JWTs (jose), verified against the pinned algorithm,
 * issuer and audience. Refresh tokens are random strings stored as SHA-256
 * hashes, rotated on every use; presenting a rotated one revokes its family.
 */
export class TokenService {
  async issue(
    user: User,
    device: Device,
    familyId: string = randomUUID(),
    client?: TransactionClientContract
  ): Promise<TokenPair> {
    const accessToken = await new SignJWT({ sid: familyId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setJti(randomUUID())
      .setIssuer(jwtConfig.issuer)
      .setAudience(jwtConfig.audience)
      .setIssuedAt()
      .setExpirationTime(`${jwtConfig.accessTokenTtlSeconds}s`)
      .sign(jwtConfig.secrets[0]!)
    const refreshToken = randomBytes(32).toString('base64url')
    await RefreshToken.create(
      {
        userId: user.id,
        familyId,
        tokenHash: sha256(refreshToken),
        userAgent: device.userAgent,
        ipPrefix: device.ipPrefix,
        expiresAt: DateTime.now().plus({ days: jwtConfig.refreshTokenTtlDays }),
      },
      { client }
    )
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: jwtConfig.accessTokenTtlSeconds,
    }
  }

  /**
   * The claims of a valid access token, or null. Never throws for a bad token.
   * A token verified once is remembered, by its exact text, until it expires:
   * a client sends the same token on every call for up to an hour, and
   * WebCrypto's HMAC is a tenth of a payment's CPU. Revocation is checked on
   * every request all the same (the guard asks the revocation list).
   */
  async verifyAccessToken(token: string): Promise<AccessClaims | null> {
    const known = verified.get(token)
    if (known && known.exp * 1000 > Date.now()) return known
    const claims = await this.#verify(token)
    if (claims) {
      if (verified.size >= verified_token_count_max) verified.delete(verified.keys().next().value!)
      verified.set(token, claims)
    }
    return claims
  }

  async #verify(token: string): Promise<AccessClaims | null> {
    for (const secret of jwtConfig.secrets) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          issuer: jwtConfig.issuer,
          audience: jwtConfig.audience,
          requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        })
        const sid = typeof payload.sid === 'string' ? payload.sid : undefined
        return { sub: payload.sub!, jti: payload.jti!, exp: payload.exp!, sid }
      } catch {
        // Try the previous key during a rotation; otherwise the token is not ours.
      }
    }
    return null
  }

  /** Rotate: the presented token is spent and a new pair of the same family is issued. */
  async refresh(presented: string, device: Device): Promise<TokenPair> {
    const trx = await db.transaction()
    try {
      const token = await RefreshToken.query({ client: trx })
        .where('token_hash', sha256(presented))
        .forUpdate()
        .first()
      if (!token) throw new ApiError('invalid_refresh_token')
      if (token.rotatedAt || token.revokedAt) {
        // A spent token came back: someone holds a copy. End the whole family,
        // the newest token included, and keep that even though this request
        // fails; the access tokens it issued too, whoever holds them.
        await revokeFamily(token.familyId, trx)
        await trx.commit()
        await revocations.revokeSession(token.familyId)
        throw new ApiError('refresh_token_reused')
      }
      if (token.expiresAt < DateTime.now())
        throw new ApiError('invalid_refresh_token', 'The refresh token expired')
      const user = await User.find(token.userId, { client: trx })
      if (!user) throw new ApiError('invalid_refresh_token')
      token.useTransaction(trx)
      token.rotatedAt = DateTime.now()
      await token.save()
      const pair = await this.issue(user, device, token.familyId, trx)
      await trx.commit()
      return pair
    } catch (error) {
      if (!trx.isCompleted) await trx.rollback()
      throw error
    }
  }

  /**
   * Logout: ends the session the presented token belongs to, and the session
   * of the access token used (`sid`), so every token of their families is
   * revoked, the newest included. A client may log out with a token it has
   * already rotated (a stale tab), or with one of another session or none
   * of its own: neither may leave the session it logs out of alive. The
   * rows are locked first, so a refresh of one of them that is under way
   * finishes before, and the family read after includes the token that
   * refresh issued. Returns the ids of the sessions ended, for revoking
   * their access tokens; only the user's own are touched.
   */
  async endSessions(presented: string, userId: string, sid?: string): Promise<string[]> {
    return db.transaction(async (trx) => {
      const token = await RefreshToken.query({ client: trx })
        .where('token_hash', sha256(presented))
        .where('user_id', userId)
        .forUpdate()
        .first()
      const families = [...new Set([token?.familyId, sid].filter((id) => id !== undefined))]
      for (const familyId of families) {
        await trx
          .from('refresh_tokens')
          .where('family_id', familyId)
          .where('user_id', userId)
          .whereNull('revoked_at')
          .forUpdate()
          .select('id')
        // A refresh of a newer token of the family may commit while this runs:
        // revoke again, reading afresh, until nothing is left to revoke.
        while ((await revokeFamily(familyId, trx)) > 0);
      }
      return families
    })
  }
}

/**
 * Revokes the family's live tokens and says how many there were. Each call
 * reads afresh (read committed), so tokens committed meanwhile are included.
 */
async function revokeFamily(familyId: string, trx: TransactionClientContract) {
  const revoked = await trx
    .from('refresh_tokens')
    .where('family_id', familyId)
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() }, ['id'])
  return revoked.length
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

export const tokens = new TokenService()
