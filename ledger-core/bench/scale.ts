import { randomUUID } from 'node:crypto'
import os from 'node:os'
import pg from 'pg'
import { provisionDatabase } from '../src/dev/database.ts'
import { migrate } from '../src/store/migrator.ts'
import {
  startLedgerProcess,
  test_api_token,
  type LedgerProcess,
} from '../src/testing/ledger_process.ts'
import { drive } from './drive.ts'

/**
 * `npm run bench:scale -w ledger-core`: how throughput and latency change
 * with the number of accounts (1,000 → 1,000,000) and with one or two
 * ledger-core processes on one PostgreSQL. Accounts are created in SQL;
 * every one is funded through the API's atomic-batch endpoint, so balances,
 * entries and invariants are real. Settings: BENCH_SCALE_ACCOUNTS
 * (comma-separated, default 1000,100000,1000000), BENCH_DURATION_S (10),
 * BENCH_CONNECTIONS (64).
 */
const sizes = (process.env.BENCH_SCALE_ACCOUNTS ?? '1000,100000,1000000').split(',').map(Number)
const duration_s = Number(process.env.BENCH_DURATION_S ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64)
const funding_batch_count = 100
const funding_concurrency = 8
const auth = { 'authorization': `Bearer ${test_api_token}`, 'content-type': 'application/json' }

const rows = []
console.log(`${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`)
for (const size of sizes) {
  const database = await provisionDatabase({
    database: 'ledger_scale_bench',
    fresh: true,
    dataDir: new URL('../../.data/ledger-scale-bench', import.meta.url).pathname,
  })
  await migrate(database.url)
  const db = new pg.Client({ connectionString: database.url })
  await db.connect()
  const started = Date.now()
  await db.query(
    `INSERT INTO ledger.accounts (id, owner_ref, currency, kind, allow_negative)
     VALUES ($1, 'system:bench-funding', 'USD', 'system', true)`,
    [randomUUID()]
  )
  await db.query(
    `INSERT INTO ledger.accounts (id, owner_ref, currency, kind)
     SELECT gen_random_uuid(), 'user:bench-' || n, 'USD', 'user' FROM generate_series(1, $1) AS n`,
    [size]
  )
  const funding = (
    await db.query(`SELECT id FROM ledger.accounts WHERE owner_ref = 'system:bench-funding'`)
  ).rows[0].id as string
  const accounts = (await db.query(`SELECT id FROM ledger.accounts WHERE kind = 'user'`)).rows.map(
    (r) => r.id as string
  )

  let ledger = await startLedgerProcess(database.url)
  await fund(ledger.url, funding, accounts)
  const seeded_s = Math.round((Date.now() - started) / 1000)
  const sizesMb = (
    await db.query(
      `SELECT sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'accounts') AS accounts,
              sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname IN ('transfers', 'entries')) AS history
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ledger'`
    )
  ).rows[0]
  rows.push({ accounts: size, replicas: 1, ...(await run([ledger], accounts)) })
  await ledger.stop()
  const two = [await startLedgerProcess(database.url), await startLedgerProcess(database.url)]
  rows.push({ accounts: size, replicas: 2, ...(await run(two, accounts)) })
  ledger = two[0]!
  const report = (await (await fetch(`${ledger.url}/v1/invariants`, { headers: auth })).json()) as {
    ok: boolean
  }
  await Promise.all(two.map((l) => l.stop()))
  await db.end()
  await database.stop()
  console.log(
    `${size} accounts: seeded and funded in ${seeded_s} s; accounts table ${mb(sizesMb.accounts)} MB, ` +
      `transfers+entries ${mb(sizesMb.history)} MB after funding; invariants ${report.ok ? 'ok' : 'BROKEN'}`
  )
  if (!report.ok) process.exitCode = 1
}
console.log(`\nrandom pairs, ${connections} connections, ${duration_s} s each, durable commits`)
console.table(rows)

function mb(bytes: string) {
  return Math.round(Number(bytes) / 2 ** 20)
}

/** Every account gets 1,000,000 cents from the funding account, 100 transfers per request. */
async function fund(url: string, funding: string, accounts: string[]) {
  let next = 0
  await Promise.all(
    Array.from({ length: funding_concurrency }, async () => {
      while (next < accounts.length) {
        const slice = accounts.slice(next, next + funding_batch_count)
        next += funding_batch_count
        const response = await fetch(`${url}/v1/transfers/batch`, {
          method: 'POST',
          headers: { ...auth, 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            transfers: slice.map((credit) => ({
              debit_account_id: funding,
              credit_account_id: credit,
              amount: 1_000_000,
              currency: 'USD',
            })),
          }),
        })
        if (response.status !== 201) throw new Error(`funding: ${await response.text()}`)
      }
    })
  )
}

async function run(targets: LedgerProcess[], accounts: string[]) {
  const body = () => {
    const i = Math.floor(Math.random() * accounts.length)
    let j = Math.floor(Math.random() * (accounts.length - 1))
    if (j >= i) j++
    return JSON.stringify({
      debit_account_id: accounts[i],
      credit_account_id: accounts[j],
      amount: 1,
      currency: 'USD',
    })
  }
  const results = await drive(targets, {
    path: '/v1/transfers',
    body,
    connections,
    seconds: duration_s,
    headers: auth,
  })
  return {
    transfers_per_s: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    p50_ms: Math.max(...results.map((r) => r.latency.p50)),
    p99_ms: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
  }
}
