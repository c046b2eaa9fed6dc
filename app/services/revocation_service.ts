import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'

/**
 * Revoked access tokens, by jti, until they expire. Redis answers the check
 * on every request; PostgreSQL keeps the durable copy and answers when Redis
 * is down, so a logout always holds.
 */
export class RevocationService {
  async revoke(jti: string, expiresAt: Date) {
    const seconds = Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000))
    await db
      .table('revoked_access_tokens')
      .insert({ jti, expires_at: expiresAt })
      .onConflict('jti')
      .ignore()
    await redis.set(`revoked:${jti}`, '1', 'EX', seconds).catch(() => {})
  }

  async isRevoked(jti: string): Promise<boolean> {
    try {
      return (await redis.exists(`revoked:${jti}`)) === 1
    } catch {
      const row = await db.from('revoked_access_tokens').where('jti', jti).first()
      return row !== null
    }
  }
}

export const revocations = new RevocationService()
