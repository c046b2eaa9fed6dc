import { randomBytes } from 'node:crypto'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { sha256 } from '#identity/token_service'

export type TokenPurpose = 'verify_email' | 'password_reset' | 'change_email'

/**
 * Single-use secrets sent by mail. 256 random bits, kept as SHA-256 (a
 * secret that long needs no slow hash); issuing one for a purpose ends the
 * person's earlier ones for it, so only the newest link works.
 */
export const accountTokens = {
  async issue(
    trx: TransactionClientContract,
    user: { id: string; email: string },
    purpose: TokenPurpose,
    ttlMs: number,
    newEmail?: string
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const now = new Date()
    await trx
      .from('account_tokens')
      .where({ user_id: user.id, purpose })
      .whereNull('used_at')
      .update({ used_at: now })
    await trx.table('account_tokens').insert({
      id: uuidv7(),
      user_id: user.id,
      purpose,
      email: user.email,
      new_email: newEmail ?? null,
      token_hash: sha256(token),
      expires_at: new Date(now.getTime() + ttlMs),
      created_at: now,
    })
    return token
  },

  /**
   * Spend a token and lock its person: one UPDATE, so of two racing uses
   * exactly one wins. Unknown, used, expired and other-purpose tokens are one
   * answer, and so is a token sent to an address that is no longer theirs.
   */
  async consume(trx: TransactionClientContract, purposes: TokenPurpose[], token: string) {
    const [row] = await trx
      .from('account_tokens')
      .where('token_hash', sha256(token))
      .whereIn('purpose', purposes)
      .whereNull('used_at')
      .where('expires_at', '>', new Date())
      .update({ used_at: new Date() }, ['user_id', 'email', 'purpose', 'new_email'])
    if (!row) throw new ApiError('invalid_token')
    const user = await User.query({ client: trx }).where('id', row.user_id).forUpdate().first()
    if (!user || user.email !== row.email) throw new ApiError('invalid_token')
    return {
      user: user.useTransaction(trx),
      purpose: row.purpose as TokenPurpose,
      newEmail: row.new_email as string | null,
    }
  },
}
