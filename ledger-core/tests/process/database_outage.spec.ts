import { randomUUID } from 'node:crypto'
import type { Assert } from '@japa/assert'
import { test } from '@japa/runner'
import { LedgerClient, uniqueRef } from '../support/ledger_client.ts'
import { startLedgerProcess, test_api_token } from '../../src/testing/ledger_process.ts'
import { startTcpProxy, type TcpProxy } from '../../src/testing/tcp_proxy.ts'
import { testDatabaseUrl } from '../support/test_database.ts'

test.group('Database outage', () => {
  test('reads and writes answer 503 service_unavailable at once, and work again when it is back', async ({
    assert,
  }) => {
    // Refused connections fail fast; they are not a 500, which would say the ledger is broken.
    await outage(assert, {
      away: (database) => database.cut(),
      back: (database) => database.restore(),
      answeredWithinMs: 2_000,
    })
  }).timeout(60_000)

  test('a database that stops answering: 503 within seconds instead of a hang, and the key settles it once', async ({
    assert,
  }) => {
    // Connections stay open; nothing comes back. Each query gives up after 5 s.
    await outage(assert, {
      away: (database) => database.stall(),
      back: (database) => database.resume(),
      answeredWithinMs: 15_000,
    })
  }).timeout(90_000)
})

/**
 * While the database is away, a read and a write answer 503
 * service_unavailable within the time given, and /health says so; once it is
 * back, the write repeated with its key is made exactly once (it may have
 * reached the database first: only the key tells).
 */
async function outage(
  assert: Assert,
  options: {
    away(database: TcpProxy): unknown
    back(database: TcpProxy): unknown
    answeredWithinMs: number
  }
) {
  const database = await startTcpProxy(testDatabaseUrl())
  const ledger = await startLedgerProcess(database.url)
  try {
    const client = new LedgerClient(ledger.url, test_api_token)
    const payer = await client.fundedAccount(uniqueRef('outage'), 1_000)
    const payee = await client.account(uniqueRef('outage'))
    const key = randomUUID()

    await options.away(database)
    const started = Date.now()
    const answers = await Promise.all([
      client.get(`/v1/accounts/${payer.id}`),
      client.transfer(payer.id, payee.id, 100, {}, key),
    ])
    const waited = Date.now() - started
    const health = await client.get('/health')
    await options.back(database)

    for (const answer of answers) {
      assert.equal(answer.status, 503, JSON.stringify(answer.body))
      assert.equal(answer.body.code, 'service_unavailable')
    }
    assert.isBelow(waited, options.answeredWithinMs)
    assert.equal(health.status, 503)

    let paid = await client.transfer(payer.id, payee.id, 100, {}, key)
    for (let i = 0; i < 40 && paid.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      paid = await client.transfer(payer.id, payee.id, 100, {}, key)
    }
    assert.equal(paid.status, 201)
    assert.equal((await client.get(`/v1/accounts/${payer.id}`)).body.balance, 900)
    assert.equal((await client.get(`/v1/accounts/${payee.id}`)).body.balance, 100)
    assert.isTrue((await client.get('/v1/invariants')).body.ok)
  } finally {
    await ledger.stop()
    await database.stop()
  }
}
