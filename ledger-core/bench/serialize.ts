import fastJson from 'fast-json-stringify'
import { loadContract } from '../src/http/contract.ts'

/**
 * `node bench/serialize.ts`: the cost of writing one Transfer answer with
 * JSON.stringify (what the server does) and with fast-json-stringify compiled
 * from the contract's schema (what Fastify response schemas would do),
 * interleaved, to weigh it against the ~100 µs of CPU a transfer costs.
 */
const { document } = await loadContract()
const $RefParser = (await import('@apidevtools/json-schema-ref-parser')).default
const resolved: any = await $RefParser.dereference(structuredClone(document))
const stringify = fastJson(resolved.components.schemas.Transfer)
const transfer = {
  id: '01a2358e-3c1b-7000-8000-0123456789ab',
  debit_account_id: '01a2358e-3c1b-7000-8000-0123456789ac',
  credit_account_id: '01a2358e-3c1b-7000-8000-0123456789ad',
  amount: 1250,
  posted_amount: 1250,
  reversed_amount: 0,
  currency: 'USD',
  status: 'posted',
  description: 'Dinner',
  metadata: { order: 'A-1001' },
  reversal_of: null,
  idempotency_key: 'c0a8e7b4-1f2e-4b7a-9c3d-2e1f0a9b8c7d',
  expires_at: null,
  created_at: '2026-12-02T09:00:00.000Z',
  posted_at: '2026-12-02T09:00:00.000Z',
  updated_at: '2026-12-02T09:00:00.000Z',
}
if (stringify(transfer).length !== JSON.stringify(transfer).length)
  throw new Error('the two serialisers disagree')
const count = 1_000_000
const time = (write: (value: unknown) => string) => {
  const started = process.hrtime.bigint()
  for (let i = 0; i < count; i++) write(transfer)
  return Number(process.hrtime.bigint() - started) / count / 1000
}
const rounds: { json: number; fast: number }[] = []
for (let round = 0; round < 4; round++)
  rounds.push({ json: time(JSON.stringify), fast: time(stringify) })
console.table(
  rounds.map((r) => ({
    'JSON.stringify µs': r.json.toFixed(2),
    'fast-json-stringify µs': r.fast.toFixed(2),
  }))
)
