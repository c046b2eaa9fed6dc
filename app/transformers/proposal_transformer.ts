import db from '@adonisjs/lucid/services/db'
import { proposalStatusOf, type ProposalRow } from '#staff/staff_proposals'

/** Proposals as staff see them, with who proposed and who decided (one query for all). */
export async function proposalsToJson(rows: ProposalRow[]) {
  const ids = [...new Set(rows.flatMap((row) => [row.proposed_by, row.decided_by]))].filter(
    (id): id is string => id !== null
  )
  const staff = new Map<string, { id: string; email: string; full_name: string }>(
    (ids.length
      ? await db.from('users').whereIn('id', ids).select('id', 'email', 'full_name')
      : []
    ).map((user: { id: string; email: string; full_name: string }) => [user.id, user])
  )
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    status: proposalStatusOf(row),
    target_id: row.target_id,
    amount: Number(row.amount),
    currency: row.currency,
    reason: row.reason,
    proposed_by: staff.get(row.proposed_by) ?? null,
    decided_by: row.decided_by ? (staff.get(row.decided_by) ?? null) : null,
    decision_reason: row.decision_reason,
    transfer_id: row.transfer_id,
    expires_at: new Date(row.expires_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    decided_at: row.decided_at ? new Date(row.decided_at).toISOString() : null,
  }))
}

export async function proposalToJson(row: ProposalRow) {
  return (await proposalsToJson([row]))[0]!
}
