import { randomInt } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { v7 as uuidv7 } from 'uuid'
import { clock } from '#platform/clock'
import { sha256 } from '#identity/token_service'

const codes_per_set = 10
/** No 0/o, 1/l/i: easy to copy by hand. */
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'

/** `xxxxx-xxxxx`: 10 characters of 31, about 50 bits; with the attempt limit, out of reach. */
function newCode() {
  const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('')
  return `${chars.slice(0, 5)}-${chars.slice(5)}`
}

/** As typed, in any case, with or without the dash or spaces. */
function normalized(code: string) {
  return code.toLowerCase().replace(/[\s-]/g, '')
}

/**
 * Ten single-use codes for when the second factor is lost. Shown once, kept
 * as SHA-256 (each is random, so a fast hash is enough); a new set replaces
 * the old one.
 */
export const recoveryCodes = {
  async replace(trx: TransactionClientContract, userId: string): Promise<string[]> {
    await trx.from('recovery_codes').where('user_id', userId).delete()
    const codes = Array.from({ length: codes_per_set }, newCode)
    const now = new Date(clock.now())
    await trx.table('recovery_codes').multiInsert(
      codes.map((code) => ({
        id: uuidv7(),
        user_id: userId,
        code_hash: sha256(normalized(code)),
        created_at: now,
      }))
    )
    return codes
  },

  /** A first second factor brings a set; a later one keeps the set the person has. */
  async issueUnlessHeld(trx: TransactionClientContract, userId: string) {
    const held = await trx.from('recovery_codes').where('user_id', userId).first()
    return held ? null : this.replace(trx, userId)
  },

  /** Spends one: of two racing uses of a code exactly one succeeds. */
  async use(userId: string, code: string): Promise<boolean> {
    const updated = await db
      .from('recovery_codes')
      .where({ user_id: userId, code_hash: sha256(normalized(code)) })
      .whereNull('used_at')
      .update({ used_at: new Date(clock.now()) })
    return Number(updated) === 1
  },

  async remaining(userId: string): Promise<number> {
    const [row] = await db
      .from('recovery_codes')
      .where('user_id', userId)
      .whereNull('used_at')
      .count('* as count')
    return Number(row.count)
  },

  async clear(trx: TransactionClientContract, userId: string) {
    await trx.from('recovery_codes').where('user_id', userId).delete()
  },
}
