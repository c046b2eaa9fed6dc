import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { LedgerClient, uniqueRef } from '../support/ledger_client.ts'
import { queryLedgerDb } from '../support/ledger_db.ts'
import { startLedgerProcess, test_api_token } from '../../src/testing/ledger_process.ts'
import { testDatabaseUrl } from '../support/test_database.ts'

interface Attempt {
  key: string
  body: Record<string, unknown>
  acknowledged: string | null
}

/** Send transfers from many callers until `until` resolves; record what was acknowledged. */
async function load(
  client: LedgerClient,
  accounts: string[],
  until: Promise<void>
): Promise<Attempt[]> {
  let done = false
  void until.then(() => (done = true))
  const attempts: Attempt[] = []
  const callers = Promise.all(
    Array.from({ length: 24 }, async (_, caller) => {
      for (let n = 0; !done; n++) {
        const body = {
          debit_account_id: accounts[(caller + n) % accounts.length]!,
          credit_account_id: accounts[(caller + n + 1) % accounts.length]!,
          amount: 1 + (n % 9),
          currency: 'USD',
        }
        const attempt: Attempt = { key: randomUUID(), body, acknowledged: null }
        attempts.push(attempt)
        try {
          const response = await client.post('/v1/transfers', body, attempt.key)
          if (response.status === 201) attempt.acknowledged = response.body.id
        } catch {
          // The process died under this request: its outcome is unknown to the caller.
          return
        }
      }
    })
  )
  await Promise.all([callers, until])
  return attempts
}

test.group('Crash safety', () => {
  test('SIGKILL mid-load: every acknowledged transfer exists exactly once; retries settle the rest', async ({
    assert,
  }) => {
    const first = await startLedgerProcess(testDatabaseUrl())
    const client = new LedgerClient(first.url, test_api_token)
    const accounts: string[] = []
    for (let i = 0; i < 8; i++)
      accounts.push((await client.fundedAccount(uniqueRef('crash'), 1_000_000)).id)

    const attempts = await load(
      client,
      accounts,
      new Promise((resolve) => setTimeout(resolve, 1_500)).then(async () => {
        await first.stop('SIGKILL')
      })
    )
    const acknowledged = attempts.filter((a) => a.acknowledged)
    assert.isAbove(acknowledged.length, 100)

    const second = await startLedgerProcess(testDatabaseUrl(), { port: first.port })
    try {
      const rows = await queryLedgerDb<{ idempotency_key: string; n: number }>(
        `SELECT idempotency_key, count(*)::int AS n FROM ledger.transfers
         WHERE idempotency_key = ANY($1::text[]) GROUP BY idempotency_key`,
        [attempts.map((a) => a.key)]
      )
      const byKey = new Map(rows.map((r) => [r.idempotency_key, r.n]))
      for (const attempt of acknowledged)
        assert.equal(byKey.get(attempt.key), 1, `acknowledged ${attempt.key}`)
      assert.isTrue([...byKey.values()].every((n) => n === 1))

      // The caller retries everything with the same keys: acknowledged ones
      // replay the same transfer, the others apply now, none apply twice.
      for (const attempt of attempts) {
        const retry = await client.post('/v1/transfers', attempt.body, attempt.key)
        assert.equal(retry.status, 201)
        if (attempt.acknowledged) {
          assert.equal(retry.body.id, attempt.acknowledged)
          assert.equal(retry.headers.get('idempotent-replayed'), 'true')
        }
      }
      const after = await queryLedgerDb<{ n: number }>(
        'SELECT count(*)::int AS n FROM ledger.transfers WHERE idempotency_key = ANY($1::text[])',
        [attempts.map((a) => a.key)]
      )
      assert.equal(after[0]!.n, attempts.length)
      const report = (await client.get('/v1/invariants')).body
      assert.isTrue(report.ok, JSON.stringify(report.violations))
    } finally {
      await second.stop()
    }
  }).timeout(120_000)

  test('SIGTERM mid-load: in-flight work is answered, nothing acknowledged is lost, exit is clean', async ({
    assert,
  }) => {
    const ledger = await startLedgerProcess(testDatabaseUrl())
    const client = new LedgerClient(ledger.url, test_api_token)
    const accounts: string[] = []
    for (let i = 0; i < 8; i++)
      accounts.push((await client.fundedAccount(uniqueRef('term'), 1_000_000)).id)

    let exitCode: number | null = -1
    const started = Date.now()
    const attempts = await load(
      client,
      accounts,
      new Promise((resolve) => setTimeout(resolve, 1_000)).then(async () => {
        exitCode = await ledger.stop('SIGTERM')
      })
    )
    assert.equal(exitCode, 0)
    assert.isBelow(Date.now() - started, 15_000)
    const acknowledged = attempts.filter((a) => a.acknowledged)
    assert.isAbove(acknowledged.length, 100)
    const rows = await queryLedgerDb('SELECT id FROM ledger.transfers WHERE id = ANY($1::uuid[])', [
      acknowledged.map((a) => a.acknowledged),
    ])
    assert.equal(rows.length, acknowledged.length)
  }).timeout(60_000)
})
