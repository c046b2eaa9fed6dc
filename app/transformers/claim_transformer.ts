import type { ClaimRow } from '#claims/claims'

/** Money waiting for its claim, as its sender sees it (a claim in progress still waits). */
export function claimToJson(row: ClaimRow) {
  return {
    id: row.id,
    email: row.email,
    amount: Number(row.amount),
    currency: row.currency,
    description: row.description,
    status: row.status === 'claiming' ? 'pending' : row.status,
    transfer_id: row.transfer_id,
    expires_at: new Date(row.expires_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    resolved_at: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
  }
}
