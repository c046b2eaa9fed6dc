import type pg from 'pg'
import type { components } from '../contract/types.ts'
import { releaseAfterFailure, scan } from './connection_errors.ts'

type Report = components['schemas']['InvariantsReport']
type Violation = Report['violations'][number]

/**
 * Every ledger invariant, checked by full scans. Each query returns only
 * the rows that break an invariant, so a healthy ledger returns nothing.
 */
export async function checkInvariants(pool: pg.Pool): Promise<Report> {
  const client = await pool.connect()
  // Full scans: on a large ledger each may take far longer than a request's query.
  const query = (text: string) => client.query(scan(text))
  try {
    // One snapshot for every check, so a running batch cannot look like a violation.
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const currencies = await query(
      `SELECT currency, count(*)::int AS accounts, sum(balance)::text AS balance_sum,
              coalesce(sum(balance) FILTER (WHERE kind = 'user'), 0)::text AS user_balance_sum
       FROM ledger.accounts GROUP BY currency ORDER BY currency`
    )
    const violations: Violation[] = []
    for (const row of currencies.rows) {
      if (row.balance_sum !== '0') {
        violations.push({
          invariant: 'currency_balances_sum_to_zero',
          currency: row.currency,
          detail: `${row.currency} balances sum to ${row.balance_sum}`,
        })
      }
    }
    const entrySums = await query(
      `SELECT a.id, a.balance::text, coalesce(e.sum, 0)::text AS entries_sum
       FROM ledger.accounts a
       LEFT JOIN (SELECT account_id, sum(CASE direction WHEN 'credit' THEN amount ELSE -amount END) AS sum
                  FROM ledger.entries GROUP BY account_id) e ON e.account_id = a.id
       WHERE a.balance <> coalesce(e.sum, 0)`
    )
    for (const row of entrySums.rows) {
      violations.push({
        invariant: 'balance_equals_entries',
        account_id: row.id,
        detail: `balance ${row.balance} but entries sum to ${row.entries_sum}`,
      })
    }
    const negative = await query(
      `SELECT id, balance::text, pending_debits::text FROM ledger.accounts
       WHERE NOT allow_negative AND (balance - pending_debits < 0 OR pending_debits < 0)`
    )
    for (const row of negative.rows) {
      violations.push({
        invariant: 'user_balance_not_negative',
        account_id: row.id,
        detail: `balance ${row.balance} with ${row.pending_debits} held`,
      })
    }
    const holds = await query(
      `SELECT a.id, a.pending_debits::text, coalesce(p.sum, 0)::text AS held
       FROM ledger.accounts a
       LEFT JOIN (SELECT debit_account_id, sum(amount) AS sum FROM ledger.transfers
                  WHERE status = 'pending' GROUP BY debit_account_id) p ON p.debit_account_id = a.id
       WHERE a.pending_debits <> coalesce(p.sum, 0)`
    )
    for (const row of holds.rows) {
      violations.push({
        invariant: 'pending_debits_match_holds',
        account_id: row.id,
        detail: `pending_debits ${row.pending_debits} but pending transfers hold ${row.held}`,
      })
    }
    const entryPairs = await query(
      `SELECT t.id, count(e.id)::int AS entries
       FROM ledger.transfers t LEFT JOIN ledger.entries e ON e.transfer_id = t.id
       GROUP BY t.id, t.status, t.posted_amount, t.debit_account_id, t.credit_account_id
       HAVING (t.status = 'posted') <> (count(e.id) = 2)
          OR count(e.id) FILTER (WHERE e.amount = t.posted_amount AND (
               (e.direction = 'debit' AND e.account_id = t.debit_account_id) OR
               (e.direction = 'credit' AND e.account_id = t.credit_account_id))) <> count(e.id)`
    )
    for (const row of entryPairs.rows) {
      violations.push({
        invariant: 'posted_transfer_has_two_entries',
        transfer_id: row.id,
        detail: `transfer has ${row.entries} matching entries`,
      })
    }
    const orphans = await query(
      `SELECT e.id::text, e.transfer_id, e.account_id FROM ledger.entries e
       LEFT JOIN ledger.transfers t ON t.id = e.transfer_id
       LEFT JOIN ledger.accounts a ON a.id = e.account_id
       WHERE t.id IS NULL OR a.id IS NULL
       UNION ALL
       SELECT NULL, t.id, NULL FROM ledger.transfers t
       WHERE NOT EXISTS (SELECT 1 FROM ledger.accounts a WHERE a.id = t.debit_account_id)
          OR NOT EXISTS (SELECT 1 FROM ledger.accounts a WHERE a.id = t.credit_account_id)
          OR (t.reversal_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger.transfers o WHERE o.id = t.reversal_of))`
    )
    for (const row of orphans.rows) {
      violations.push({
        invariant: 'references_exist',
        transfer_id: row.transfer_id,
        detail: row.id
          ? `entry ${row.id} names a missing transfer or account`
          : 'transfer names a missing account or original',
      })
    }
    const checkedAt = await query('SELECT clock_timestamp() AS now')
    await query('COMMIT')
    client.release()
    return {
      ok: violations.length === 0,
      checked_at: checkedAt.rows[0].now.toISOString(),
      currencies: currencies.rows,
      violations,
    }
  } catch (error) {
    await releaseAfterFailure(client, error)
    throw error
  }
}
