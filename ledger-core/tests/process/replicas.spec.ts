import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { LedgerClient, uniqueRef } from '../support/ledger_client.ts'
import { queryLedgerDb } from '../support/ledger_db.ts'
import {
  startLedgerProcess,
  test_api_token,
  type LedgerProcess,
} from '../../src/testing/ledger_process.ts'
import { MoneyModel } from '../support/money_model.ts'
import { testDatabaseUrl } from '../support/test_database.ts'

test.group('Two ledger-core processes on one database', (group) => {
  let processes: LedgerProcess[] = []
  group.setup(async () => {
    processes = [
      await startLedgerProcess(testDatabaseUrl()),
      await startLedgerProcess(testDatabaseUrl()),
    ]
    return async () => {
      await Promise.all(processes.map((p) => p.stop()))
    }
  })

  test('opposing transfers between a few accounts never deadlock, lose or duplicate money', async ({
    assert,
  }) => {
    const clients = processes.map((p) => new LedgerClient(p.url, test_api_token))
    const funding = await clients[0]!.fundingAccount()
    const accounts: string[] = []
    for (let i = 0; i < 10; i++)
      accounts.push((await clients[0]!.fundedAccount(uniqueRef('replica'), 10_000)).id)
    const model = new MoneyModel()
    for (const id of accounts) model.move(funding.id, id, 10_000)

    const acknowledged: string[] = []
    const refusals = new Map<string, number>()
    // 32 concurrent callers, each alternating processes, all over 10 accounts:
    // A→B and B→A race all the time.
    await Promise.all(
      Array.from({ length: 32 }, async (_, caller) => {
        for (let n = 0; n < 60; n++) {
          const a = accounts[(caller + n) % accounts.length]!
          const b = accounts[(caller * 7 + n * 3 + 1) % accounts.length]!
          if (a === b) continue
          const response = await clients[(caller + n) % 2]!.transfer(
            a,
            b,
            1 + ((caller + n) % 50),
            {},
            randomUUID()
          )
          assert.isBelow(response.status, 500, JSON.stringify(response.body))
          if (response.status === 201) {
            acknowledged.push(response.body.id)
            model.applyTransfer(response.body)
          } else {
            refusals.set(response.body.code, (refusals.get(response.body.code) ?? 0) + 1)
          }
        }
      })
    )
    assert.isAbove(acknowledged.length, 1_000)
    assert.deepEqual(
      [...refusals.keys()].filter((code) => code !== 'insufficient_funds'),
      []
    )

    const rows = await queryLedgerDb('SELECT id FROM ledger.transfers WHERE id = ANY($1::uuid[])', [
      acknowledged,
    ])
    assert.equal(rows.length, acknowledged.length)
    for (const id of accounts) {
      assert.equal((await clients[1]!.get(`/v1/accounts/${id}`)).body.balance, model.balance(id))
    }
    const report = (await clients[0]!.get('/v1/invariants')).body
    assert.isTrue(report.ok, JSON.stringify(report.violations))
  }).timeout(120_000)
})

test.group('Two ledger-core processes racing on one hold', (group) => {
  let processes: LedgerProcess[] = []
  group.setup(async () => {
    processes = [
      await startLedgerProcess(testDatabaseUrl()),
      await startLedgerProcess(testDatabaseUrl()),
    ]
    return async () => {
      await Promise.all(processes.map((p) => p.stop()))
    }
  })

  test('posting and voiding the same hold from both processes settles it exactly once', async ({
    assert,
  }) => {
    const clients = processes.map((p) => new LedgerClient(p.url, test_api_token))
    const a = await clients[0]!.fundedAccount(uniqueRef('race'), 100_000)
    const b = await clients[0]!.account(uniqueRef('race'))
    const settle = async () => {
      const hold = await clients[0]!.transfer(a.id, b.id, 100, { pending: true })
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          clients[i % 2]!.post(`/v1/transfers/${hold.body.id}/${i % 3 === 0 ? 'void' : 'post'}`, {})
        )
      )
      for (const answer of answers)
        assert.oneOf(answer.status, [200, 409], JSON.stringify(answer.body))
      assert.equal(answers.filter((x) => x.status === 200).length, 1)
      const entries = (await clients[1]!.get(`/v1/transfers/${hold.body.id}/entries`)).body.data
      assert.oneOf(entries.length, [0, 2])
    }
    for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 10 }, settle))
    const account = (await clients[0]!.get(`/v1/accounts/${a.id}`)).body
    assert.equal(account.pending_debits, 0)
    assert.isTrue((await clients[0]!.get('/v1/invariants')).body.ok)
  }).timeout(60_000)
})
