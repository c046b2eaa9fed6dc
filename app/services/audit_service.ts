import { randomUUID } from 'node:crypto'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'

export interface AuditEntry {
  /** null for an operator on the command line (the details say who). */
  actorId: string | null
  action: string
  targetType: 'user' | 'transfer' | 'wallet'
  targetId: string
  reason: string
  requestId?: string
  details?: Record<string, unknown>
}

/** The audit log: written in the transaction of the change it records, where there is one. */
export class AuditService {
  async record(entry: AuditEntry, client: TransactionClientContract | typeof db = db) {
    await client.table('audit_logs').insert({
      id: randomUUID(),
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason,
      request_id: entry.requestId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      created_at: new Date(),
    })
  }

  async list(filter: {
    actor_id?: string
    target_id?: string
    action?: string
    target_type?: string
    from?: Date
    to?: Date
    limit: number
    cursor?: string
  }) {
    const query = db
      .from('audit_logs')
      .leftJoin('users', 'users.id', 'audit_logs.actor_id')
      .select('audit_logs.*', 'users.email as actor_email')
      .orderBy([
        { column: 'audit_logs.created_at', order: 'desc' },
        { column: 'audit_logs.id', order: 'desc' },
      ])
    if (filter.actor_id) query.where('audit_logs.actor_id', filter.actor_id)
    if (filter.target_id) query.where('audit_logs.target_id', filter.target_id)
    if (filter.action) query.where('audit_logs.action', filter.action)
    if (filter.target_type) query.where('audit_logs.target_type', filter.target_type)
    if (filter.from) query.where('audit_logs.created_at', '>=', filter.from)
    if (filter.to) query.where('audit_logs.created_at', '<', filter.to)
    return pageByTime(query, filter.limit, filter.cursor, 'audit_logs.')
  }
}

/**
 * Keyset pagination newest first on (created_at, id): stable while rows
 * arrive, and each row appears once.
 */
export async function pageByTime(
  query: any,
  limit: number,
  cursor: string | undefined,
  prefix = ''
) {
  if (cursor) {
    const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
    if (!at || !id || Number.isNaN(Date.parse(at))) {
      const { ApiError } = await import('#exceptions/api_error')
      throw new ApiError('validation_failed', 'The cursor is not one this API returned', {
        errors: [{ field: 'cursor', message: 'is not valid' }],
      })
    }
    query.whereRaw(`(${prefix}created_at, ${prefix}id) < (?, ?)`, [at, id])
  }
  const rows = await query.limit(limit + 1)
  const data = rows.slice(0, limit)
  const last = data.at(-1)
  return {
    data,
    next_cursor:
      rows.length > limit && last
        ? Buffer.from(`${new Date(last.created_at).toISOString()}|${last.id}`).toString('base64url')
        : null,
  }
}

export const audit = new AuditService()
