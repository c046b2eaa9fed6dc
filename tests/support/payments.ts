import pg from 'pg'

/** A payment a test made: who paid whom, how much, and the Idempotency-Key it used. */
export interface Payment {
  key: string
  from: number
  to: number
  amount: number
}

/**
 * What the database holds for these people's payments: how many ledger
 * transfers each API key produced (ledger keys are `p2p:<sender>:<key>`),
 * and how many history rows the API indexed.
 */
export async function recordedPayments(senderIds: string[]) {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await db.connect()
  try {
    const ledger = await db.query(
      `SELECT idempotency_key, count(*)::int AS n FROM ledger.transfers
       WHERE idempotency_key LIKE ANY($1) GROUP BY idempotency_key`,
      [senderIds.map((id) => `p2p:${id}:%`)]
    )
    const history = await db.query(
      `SELECT count(*)::int AS n FROM transfers WHERE kind = 'p2p' AND sender_id = ANY($1)`,
      [senderIds]
    )
    return {
      byLedgerKey: new Map(ledger.rows.map((r) => [r.idempotency_key as string, r.n as number])),
      historyRows: history.rows[0].n as number,
    }
  } finally {
    await db.end()
  }
}

/** The ledger key of a payment, as the API scopes it to its sender. */
export function ledgerKey(senderId: string, payment: Payment) {
  return `p2p:${senderId}:${payment.key}`
}

/** Each person's balance if exactly these payments happened, each once. */
export function expectedBalances(count: number, funds: number, payments: Payment[]) {
  const balances = Array.from({ length: count }, () => funds)
  for (const p of payments) {
    balances[p.from]! -= p.amount
    balances[p.to]! += p.amount
  }
  return balances
}
