/**
 * The audit module: who did what to whom and why. Every staff change, and
 * every operator command, writes a row, in the transaction of the change it
 * records where there is one. It needs nothing from the app's other modules.
 */
import { randomUUID } from 'node:crypto'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { pageByTime } from '#platform/time_pages'

/** What an audit row can be about. */
export const audit_targets = ['user', 'transfer', 'wallet', 'api_key', 'webhook_endpoint'] as const
export type AuditTarget = (typeof audit_targets)[number]

export interface AuditEntry {
  /** null for an operator on the command line (the details say who). */
  actorId: string | null
  action: string
  targetType: AuditTarget
  targetId: string
  reason: string
  requestId?: string
  details?: Record<string, unknown>
}

/** The audit log. */
export class AuditService {
  /** Writes the row; returns its id (the subject of the event the change may give). */
  async record(entry: AuditEntry, client: TransactionClientContract | typeof db = db) {
    const id = randomUUID()
    await client.table('audit_logs').insert({
      id,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason,
      request_id: entry.requestId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      created_at: new Date(),
    })
    return id
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

export const audit = new AuditService()
