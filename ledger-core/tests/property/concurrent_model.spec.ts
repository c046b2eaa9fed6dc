import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import fc from 'fast-check'
import { LedgerClient, uniqueRef } from '../support/ledger_client.ts'
import {
  startLedgerProcess,
  test_api_token,
  type LedgerProcess,
} from '../../src/testing/ledger_process.ts'
import { MoneyModel } from '../support/money_model.ts'
import { testDatabaseUrl } from '../support/test_database.ts'

type Op =
  | { kind: 'transfer'; from: number; to: number; amount: number }
  | { kind: 'hold'; from: number; to: number; amount: number; timeout: boolean }
  | { kind: 'post'; pick: number; part: number }
  | { kind: 'void'; pick: number }
  | { kind: 'reverse'; pick: number; part: number }
  | { kind: 'batch'; legs: { from: number; to: number; amount: number }[] }
  | { kind: 'freeze'; account: number; frozen: boolean }
  | { kind: 'retry'; pick: number }

const account_count = 6
const account = fc.nat({ max: account_count - 1 })
const amount = fc.integer({ min: 1, max: 400 })
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      from: account,
      to: account,
      amount,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      from: account,
      to: account,
      amount,
      timeout: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      pick: fc.nat(),
      part: fc.integer({ min: 1, max: 100 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      pick: fc.nat(),
      part: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      legs: fc.array(fc.record({ from: account, to: account, amount }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('freeze' as const), account, frozen: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) }
)

/** Answers a correct ledger may give to a valid request in a race. */
const expected_refusals = new Set([
  'insufficient_funds',
  'account_frozen',
  'invalid_state',
  'already_reversed',
  'amount_exceeds_pending',
  'same_account',
  'idempotency_key_in_use',
])

let processes: LedgerProcess[] = []

test.group('Property: concurrent random operations against two ledger processes', (group) => {
  group.setup(async () => {
    processes = [
      await startLedgerProcess(testDatabaseUrl()),
      await startLedgerProcess(testDatabaseUrl()),
    ]
    return async () => {
      await Promise.all(processes.map((p) => p.stop()))
    }
  })

  test('acknowledged effects equal a simple model; every invariant holds', async ({ assert }) => {
    const clients = processes.map((p) => new LedgerClient(p.url, test_api_token))
    let operations = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 150, maxLength: 250 }), async (ops) => {
        operations += ops.length
        const funding = await clients[0]!.fundingAccount()
        const accounts = []
        for (let i = 0; i < account_count; i++)
          accounts.push(await clients[0]!.fundedAccount(uniqueRef('prop'), 1_000))
        const ids = accounts.map((a) => a.id as string)
        const model = new MoneyModel()
        for (const id of ids) model.move(funding.id, id, 1_000)

        const holds: string[] = []
        const posted: string[] = []
        const sent: { path: string; body: unknown; key: string; first: any }[] = []
        const client = () => clients[Math.floor(Math.random() * clients.length)]!

        const run = async (o: Op) => {
          const send = async (path: string, body: unknown) => {
            const key = randomUUID()
            const response = await client().post(path, body, key)
            assert.isBelow(response.status, 500, JSON.stringify(response.body))
            const record = { path, body, key, first: response }
            sent.push(record)
            return response
          }
          const leg = (l: { from: number; to: number; amount: number }) => ({
            debit_account_id: ids[l.from],
            credit_account_id: ids[l.to],
            amount: l.amount,
            currency: 'USD',
          })
          let response
          switch (o.kind) {
            case 'transfer':
              response = await send('/v1/transfers', leg(o))
              break
            case 'hold':
              response = await send('/v1/transfers', {
                ...leg(o),
                pending: true,
                ...(o.timeout ? { timeout_ms: 1000 } : {}),
              })
              break
            case 'post': {
              const id = holds[o.pick % Math.max(1, holds.length)]
              if (!id) return
              const held = model.holds.get(id)?.amount ?? 1
              response = await send(`/v1/transfers/${id}/post`, {
                amount: Math.max(1, Math.floor((held * o.part) / 100)),
              })
              break
            }
            case 'void': {
              const id = holds[o.pick % Math.max(1, holds.length)]
              if (!id) return
              response = await send(`/v1/transfers/${id}/void`, undefined)
              break
            }
            case 'reverse': {
              const id = posted[o.pick % Math.max(1, posted.length)]
              if (!id) return
              response = await send(
                `/v1/transfers/${id}/reversals`,
                o.part === 100 ? {} : { amount: 1 }
              )
              break
            }
            case 'batch':
              response = await send('/v1/transfers/batch', { transfers: o.legs.map(leg) })
              break
            case 'freeze':
              await client().post(
                `/v1/accounts/${ids[o.account]}/${o.frozen ? 'freeze' : 'unfreeze'}`,
                undefined,
                null
              )
              return
            case 'retry': {
              const previous = sent[o.pick % Math.max(1, sent.length)]
              if (!previous) return
              const again = await client().post(previous.path, previous.body, previous.key)
              // A retry never applies twice: it replays the first answer exactly.
              if (again.status === 409 && again.body.code === 'idempotency_key_in_use') return
              assert.equal(again.status, previous.first.status)
              assert.equal(again.headers.get('idempotent-replayed'), 'true')
              if (previous.first.status < 300) assert.deepEqual(again.body, previous.first.body)
              else assert.equal(again.body.code, previous.first.body.code)
              return
            }
          }
          if (response.status >= 400) {
            assert.isTrue(expected_refusals.has(response.body.code), JSON.stringify(response.body))
            return
          }
          const transfers = response.body.transfers ?? [response.body]
          for (const t of transfers) {
            model.applyTransfer(t)
            if (t.status === 'pending') holds.push(t.id)
            if (t.status === 'posted' && t.reversal_of === null) posted.push(t.id)
          }
        }

        // Waves of concurrent operations, spread over both processes.
        for (let i = 0; i < ops.length; i += 16) await Promise.all(ops.slice(i, i + 16).map(run))
        // Holds with a timeout expire on their own. Wait until the sweeper has
        // settled every one, following it in the model, before reading any
        // account: reading an account while a hold was still expiring raced
        // with the sweeper (the account showed it held, the model released it).
        for (const [holdId] of model.holds) {
          for (let attempt = 0; ; attempt++) {
            const transfer = (await clients[0]!.get(`/v1/transfers/${holdId}`)).body
            if (transfer.status === 'expired') model.release(holdId)
            if (transfer.status !== 'pending' || transfer.expires_at === null) break
            if (attempt === 100) throw new Error(`hold ${holdId} was not swept in 10 s`)
            await new Promise((resolve) => setTimeout(resolve, 100))
          }
        }

        for (const id of ids) {
          const actual = (await clients[0]!.get(`/v1/accounts/${id}`)).body
          assert.equal(actual.balance, model.balance(id), `balance of ${id}`)
          assert.equal(actual.pending_debits, model.held(id), `holds of ${id}`)
          assert.isAtLeast(actual.available_balance, 0)
        }
        const report = (await clients[1]!.get('/v1/invariants')).body
        assert.isTrue(report.ok, JSON.stringify(report.violations))
      }),
      { numRuns: 10, endOnFailure: true }
    )
    assert.isAtLeast(operations, 1_500)
  }).timeout(300_000)
})
