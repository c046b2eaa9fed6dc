import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ipaddr from 'ipaddr.js'
import { ApiError } from '#exceptions/api_error'
import { revocations } from '#identity/revocation_service'
import { queueMail } from '#mail/mail_outbox'
import { mailMessages } from '#mail/mail_messages'

/** Where a session signed in from, as a person is shown it. */
export interface Device {
  userAgent: string | null
  ipPrefix: string | null
}

const user_agent_length_max = 300

/** The network, never the address: an IPv4 /24 or an IPv6 /48. */
export function ipPrefix(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return null
  const address = ipaddr.process(ip)
  if (address.kind() === 'ipv4')
    return `${address.toString().split('.').slice(0, 3).join('.')}.0/24`
  return `${address.toNormalizedString().split(':').slice(0, 3).join(':')}::/48`
}

export function deviceOf(userAgent: string | undefined, ip: string): Device {
  return {
    userAgent: userAgent ? userAgent.slice(0, user_agent_length_max) : null,
    ipPrefix: ipPrefix(ip),
  }
}

/**
 * A session is a refresh-token family: signed in once, rotated on every
 * refresh. Its live tokens say it is alive; ending it revokes them and,
 * through the revocation list, every access token it was given.
 */
export const sessions = {
  async list(userId: string, currentSid?: string) {
    const rows = await db
      .from('refresh_tokens')
      .where('user_id', userId)
      .groupBy('family_id')
      .havingRaw('bool_or(revoked_at IS NULL AND rotated_at IS NULL AND expires_at > now())')
      .select(
        'family_id',
        db.raw('min(created_at) AS created_at'),
        db.raw('max(created_at) AS last_used_at'),
        db.raw('(array_agg(user_agent ORDER BY created_at))[1] AS user_agent'),
        db.raw('(array_agg(ip_prefix ORDER BY created_at DESC))[1] AS ip_prefix')
      )
      .orderBy('last_used_at', 'desc')
    return rows.map((row) => ({
      id: row.family_id as string,
      created_at: new Date(row.created_at).toISOString(),
      last_used_at: new Date(row.last_used_at).toISOString(),
      user_agent: row.user_agent as string | null,
      ip_prefix: row.ip_prefix as string | null,
      current: row.family_id === currentSid,
    }))
  },

  /** Ends one of the person's sessions; another person's is not found. */
  async end(userId: string, sessionId: string) {
    const ended = await revokeFamilies(userId, [sessionId])
    if (ended.length === 0) throw new ApiError('not_found', 'No live session with this id')
  },

  /**
   * Ends every session of the person but `keep` (the one asking), when given.
   * Inside a password change's transaction, so the two commit together; the
   * access tokens are revoked before it commits, so a change that then fails
   * has signed people out (failing closed), never left a session alive.
   */
  async endAll(userId: string, keep?: string, client: TransactionClientContract | typeof db = db) {
    const query = client
      .from('refresh_tokens')
      .where('user_id', userId)
      .whereNull('revoked_at')
      .distinct('family_id')
    if (keep) query.whereNot('family_id', keep)
    const families = (await query).map((row) => row.family_id as string)
    return revokeFamilies(userId, families, client)
  },

  /** A sign-in from a browser this person never used: tell them by mail. */
  async noticeNewDevice(user: { id: string; email: string }, device: Device, familyId: string) {
    if (!device.userAgent) return
    const row = await db
      .from('refresh_tokens')
      .where('user_id', user.id)
      .whereNot('family_id', familyId)
      .select(
        db.raw('coalesce(bool_or(user_agent = ?), false) AS seen', [device.userAgent]),
        db.raw('count(*) > 0 AS signed_in_before')
      )
      .first()
    // The first sign-in of an account is its sign-up's device, not news.
    if (row.seen || !row.signed_in_before) return
    await queueMail(
      mailMessages.newDevice(user.email, device.userAgent, device.ipPrefix ?? 'unknown', new Date())
    )
  },
}

async function revokeFamilies(
  userId: string,
  families: string[],
  client: TransactionClientContract | typeof db = db
) {
  if (families.length === 0) return []
  const rows = await client
    .from('refresh_tokens')
    .where('user_id', userId)
    .whereIn('family_id', families)
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() }, ['family_id'])
  const ended = [...new Set(rows.map((row) => row.family_id as string))]
  for (const familyId of ended) await revocations.revokeSession(familyId)
  return ended
}
