import User from '#models/user'
import { statusOf, type RequestRow } from '#payment_requests/payment_requests'
import { partyToJson } from '#transformers/user_transformer'

/** Requests as the API shows them, with both people's public names (one query for all). */
export async function paymentRequestsToJson(rows: RequestRow[]) {
  const ids = [...new Set(rows.flatMap((row) => [row.payer_id, row.payee_id]))]
  const people = new Map(
    (ids.length ? await User.query().whereIn('id', ids).select('id', 'full_name') : []).map(
      (user) => [user.id, user]
    )
  )
  return rows.map((row) => ({
    id: row.id,
    payer: partyToJson(people.get(row.payer_id) ?? null),
    payee: partyToJson(people.get(row.payee_id) ?? null),
    amount: Number(row.amount),
    currency: row.currency,
    note: row.note,
    // A payment in flight is still pending to the people in it.
    status: statusOf(row) === 'paying' ? 'pending' : statusOf(row),
    transfer_id: row.transfer_id,
    expires_at: new Date(row.expires_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    resolved_at: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
  }))
}

export async function paymentRequestToJson(row: RequestRow) {
  return (await paymentRequestsToJson([row]))[0]!
}
