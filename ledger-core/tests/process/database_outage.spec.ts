import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { LedgerClient, uniqueRef } from '../support/ledger_client.ts'
import { startLedgerProcess, test_api_token } from '../support/ledger_process.ts'
import { startTcpProxy } from '../support/tcp_proxy.ts'
import { testDatabaseUrl } from '../support/test_database.ts'

test.group('Database outage', () => {
  test('reads and writes answer 503 service_unavailable at once, and work again when it is back', async ({
    assert,
  }) => {
    const database = await startTcpProxy(testDatabaseUrl())
    const ledger = await startLedgerProcess(database.url)
    try {
      const client = new LedgerClient(ledger.url, test_api_token)
      const payer = await client.fundedAccount(uniqueRef('outage'), 1_000)
      const payee = await client.account(uniqueRef('outage'))
      const key = randomUUID()

      await database.cut()
      const started = Date.now()
      const read = await client.get(`/v1/accounts/${payer.id}`)
      const write = await client.transfer(payer.id, payee.id, 100, {}, key)
      for (const answer of [read, write]) {
        assert.equal(answer.status, 503)
        assert.equal(answer.body.code, 'service_unavailable')
      }
      // Refused connections fail fast; they are not a 500, which would say the ledger is broken.
      assert.isBelow(Date.now() - started, 2_000)
      assert.equal((await client.get('/health')).status, 503)

      await database.restore()
      let paid = await client.transfer(payer.id, payee.id, 100, {}, key)
      for (let i = 0; i < 40 && paid.status === 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        paid = await client.transfer(payer.id, payee.id, 100, {}, key)
      }
      assert.equal(paid.status, 201)
      assert.equal((await client.get(`/v1/accounts/${payer.id}`)).body.balance, 900)
      assert.equal((await client.get(`/v1/accounts/${payee.id}`)).body.balance, 100)
    } finally {
      await ledger.stop()
      await database.stop()
    }
  }).timeout(60_000)

  test('a database that stops answering: 503 within seconds instead of a hang, and the key settles it once', async ({
    assert,
  }) => {
    const database = await startTcpProxy(testDatabaseUrl())
    const ledger = await startLedgerProcess(database.url)
    try {
      const client = new LedgerClient(ledger.url, test_api_token)
      const payer = await client.fundedAccount(uniqueRef('stall'), 1_000)
      const payee = await client.account(uniqueRef('stall'))
      const key = randomUUID()

      // Connections stay open; nothing comes back.
      database.stall()
      const started = Date.now()
      const [read, write] = await Promise.all([
        client.get(`/v1/accounts/${payer.id}`),
        client.transfer(payer.id, payee.id, 100, {}, key),
      ])
      const waited = Date.now() - started
      const health = await client.get('/health')
      database.resume()

      for (const answer of [read, write]) {
        assert.equal(answer.status, 503, JSON.stringify(answer.body))
        assert.equal(answer.body.code, 'service_unavailable')
      }
      assert.isBelow(waited, 15_000)
      assert.equal(health.status, 503)

      // The write may have reached the database before it stalled: only the key tells.
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
  }).timeout(90_000)
})
