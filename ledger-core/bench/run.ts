import { randomUUID } from 'node:crypto'
import os from 'node:os'
import autocannon from 'autocannon'
import pg from 'pg'
import { Calibration, cpuMs, pidsNamed } from '../src/dev/bench.ts'
import { provisionDatabase } from '../src/dev/database.ts'
import { migrate } from '../src/store/migrator.ts'
import {
  startLedgerProcess,
  test_api_token,
  type LedgerProcess,
} from '../src/testing/ledger_process.ts'
import { drive } from './drive.ts'

/**
 * `npm run bench -w ledger-core`: start ledger-core for real against a real
 * PostgreSQL and drive it over HTTP with autocannon. Prints transfers/s and
 * latency per workload, for the batching writer and for one transaction per
 * transfer. A TPC-B run of pgbench on the same server before and after the
 * workloads calibrates them: every figure is also printed as a multiple of
 * it, which compares across the machine's phases. Settings: BENCH_DURATION_S
 * (default 10), BENCH_CONNECTIONS (64), BENCH_BATCH_CONNECTIONS (atomic
 * batches in flight, each of a list measured: 2,4,8), BENCH_ACCOUNTS (10000).
 */
const duration_s = Number(process.env.BENCH_DURATION_S ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64)
/** Atomic batches in flight at once; a list ("2,4,8") measures each. */
const batch_concurrencies = (process.env.BENCH_BATCH_CONNECTIONS ?? '2,4,8').split(',').map(Number)
const account_count = Number(process.env.BENCH_ACCOUNTS ?? 10_000)
const auth = { 'authorization': `Bearer ${test_api_token}`, 'content-type': 'application/json' }

interface Row {
  workload: string
  mode: string
  requests_per_s: number
  transfers_per_s: number
  x_tpcb?: string
  p50_ms: number
  p99_ms: number
  non_2xx: number
  /** CPU µs per transfer: ledger-core processes / PostgreSQL / this load generator. */
  cpu_us: string
  /** WAL bytes PostgreSQL wrote per transfer: what durability costs, whatever the machine's speed. */
  wal_b: number
  /** The ledger's invariants, checked right after the workload. */
  invariants: string
}

const database = await provisionDatabase({
  database: 'ledger_bench',
  fresh: true,
  dataDir: new URL('../../.data/ledger-bench', import.meta.url).pathname,
})
await migrate(database.url)
console.log(
  `PostgreSQL from ${database.source}; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`
)

const probe = new pg.Client({ connectionString: database.url })
await probe.connect()
const calibration = await Calibration.prepare(database.url)
await calibration?.measure()

const rows: Row[] = []
let ledger = await startLedgerProcess(database.url)
const { accounts, hot } = await seed(ledger.url)

rows.push(await run('random pairs', 'batched', [ledger], randomTransfer))
rows.push(await run('hot debit account', 'batched', [ledger], hotTransfer))
rows.push(await runPendingPost('batched', ledger))
for (const concurrency of batch_concurrencies) {
  rows.push(
    await run(`atomic batch of 100, ${concurrency} at once`, 'batched', [ledger], batchOf100, {
      transfersPerRequest: 100,
      concurrency,
    })
  )
}
await ledger.stop()

const replicas = [await startLedgerProcess(database.url), await startLedgerProcess(database.url)]
rows.push(await run('random pairs', 'batched, 2 replicas', replicas, randomTransfer))
rows.push(await run('hot debit account', 'batched, 2 replicas', replicas, hotTransfer))
await Promise.all(replicas.map((r) => r.stop()))

ledger = await startLedgerProcess(database.url, { env: { LEDGER_WRITER_MODE: 'per_transfer' } })
rows.push(await run('random pairs', 'per transfer', [ledger], randomTransfer))
rows.push(await run('hot debit account', 'per transfer', [ledger], hotTransfer))
const hotShare = await hotUpdates(database.url)
await ledger.stop()
await probe.end()
await calibration?.measure()
await calibration?.dispose()
await database.stop()

console.log(
  `\n${connections} connections, ${duration_s} s per workload, ${account_count} accounts, durable commits`
)
if (calibration) {
  console.log(calibration.describe())
  for (const row of rows) row.x_tpcb = calibration.times(row.transfers_per_s)
}
console.table(rows)
const find = (workload: string, mode: string) =>
  rows.find((r) => r.workload.startsWith(workload) && r.mode === mode)!
for (const workload of ['random pairs', 'hot debit account']) {
  const batched = find(workload, 'batched')
  console.log(
    `${workload}: batching gives ${(batched.transfers_per_s / find(workload, 'per transfer').transfers_per_s).toFixed(1)}x; ` +
      `2 replicas give ${(find(workload, 'batched, 2 replicas').transfers_per_s / batched.transfers_per_s).toFixed(2)}x of one`
  )
}
console.log(`account updates done in place (HOT): ${hotShare}`)
const broken = rows.filter((row) => row.invariants !== 'ok')
console.log(
  broken.length === 0
    ? 'invariants held after every workload'
    : `invariants broken after: ${broken.map((row) => `${row.workload} (${row.mode}): ${row.invariants}`).join('; ')}`
)
if (broken.length > 0) process.exitCode = 1

/** How many account updates PostgreSQL made in place (no index entries) of all of them. */
async function hotUpdates(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows: stats } = await client.query(
    `SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE schemaname = 'ledger' AND relname = 'accounts'`
  )
  await client.end()
  const { n_tup_upd: all, n_tup_hot_upd: inPlace } = stats[0]
  return `${inPlace} of ${all} (${((100 * Number(inPlace)) / Number(all)).toFixed(0)} %)`
}

function randomTransfer() {
  const i = Math.floor(Math.random() * accounts.length)
  let j = Math.floor(Math.random() * (accounts.length - 1))
  if (j >= i) j++
  return transferBody(accounts[i]!, accounts[j]!, 1)
}

function hotTransfer() {
  return transferBody(hot, accounts[Math.floor(Math.random() * accounts.length)]!, 1)
}

function batchOf100() {
  return JSON.stringify({
    transfers: Array.from({ length: 100 }, () => JSON.parse(randomTransfer())),
  })
}

function transferBody(debit: string, credit: string, amount: number, extra = {}) {
  return JSON.stringify({
    debit_account_id: debit,
    credit_account_id: credit,
    amount,
    currency: 'USD',
    ...extra,
  })
}

async function run(
  workload: string,
  mode: string,
  targets: LedgerProcess[],
  body: () => string,
  batch = { transfersPerRequest: 1, concurrency: connections }
): Promise<Row> {
  const { transfersPerRequest, concurrency } = batch
  const before = await cpu(targets)
  const results = await drive(targets, {
    path: transfersPerRequest > 1 ? '/v1/transfers/batch' : '/v1/transfers',
    body,
    connections: concurrency,
    seconds: duration_s,
    headers: auth,
  })
  const row = summarize(workload, mode, results, transfersPerRequest, before, await cpu(targets))
  return { ...row, invariants: await invariants(targets[0]!) }
}

async function runPendingPost(mode: string, target: LedgerProcess): Promise<Row> {
  const before = await cpu([target])
  const result = await autocannon({
    url: target.url,
    connections,
    duration: duration_s,
    headers: auth,
    requests: [
      {
        method: 'POST',
        path: '/v1/transfers',
        setupRequest: (request: any) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
          body: (() => {
            const parsed = JSON.parse(randomTransfer())
            return JSON.stringify({ ...parsed, pending: true })
          })(),
        }),
        onResponse: (status: number, responseBody: string, context: any) => {
          context.pendingId = status === 201 ? JSON.parse(responseBody).id : null
        },
      },
      {
        method: 'POST',
        setupRequest: (request: any, context: any) => ({
          ...request,
          path: `/v1/transfers/${context.pendingId ?? '00000000-0000-7000-8000-000000000000'}/post`,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
          body: '{}',
        }),
      },
    ],
  })
  // Each pending+post pair is one transfer made of two requests.
  const row = summarize(
    'pending + post (2 requests)',
    mode,
    [result],
    0.5,
    before,
    await cpu([target])
  )
  return { ...row, invariants: await invariants(target) }
}

/** `ok`, or the broken invariants, as ledger-core's own check reports them. */
async function invariants(target: LedgerProcess) {
  const response = await fetch(`${target.url}/v1/invariants`, { headers: auth })
  const report = (await response.json()) as { ok: boolean; violations: unknown[] }
  return report.ok ? 'ok' : JSON.stringify(report.violations)
}

/**
 * CPU ms used so far by the ledger-core processes, all of PostgreSQL, and
 * this process (autocannon); and the server's WAL position, in bytes.
 */
async function cpu(targets: LedgerProcess[]) {
  const own = process.cpuUsage()
  const position = await probe.query(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS wal`
  )
  return {
    ...cpuMs({ ledger: targets.map((t) => t.child.pid!), postgres: pidsNamed('postgres') }),
    client: (own.user + own.system) / 1000,
    wal: position.rows[0].wal as number,
  }
}

function summarize(
  workload: string,
  mode: string,
  results: autocannon.Result[],
  transfersPerRequest: number,
  before: Record<string, number>,
  after: Record<string, number>
): Omit<Row, 'invariants'> {
  const requests = results.reduce((sum, r) => sum + r.requests.average, 0)
  const transfers = results.reduce((sum, r) => sum + r.requests.total, 0) * transfersPerRequest
  const per = (name: string) => Math.round(((after[name]! - before[name]!) * 1000) / transfers)
  return {
    workload,
    mode,
    requests_per_s: Math.round(requests),
    transfers_per_s: Math.round(requests * transfersPerRequest),
    p50_ms: Math.max(...results.map((r) => r.latency.p50)),
    p99_ms: Math.max(...results.map((r) => r.latency.p99)),
    non_2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    cpu_us: `${per('ledger')} / ${per('postgres')} / ${per('client')}`,
    wal_b: Math.round((after.wal! - before.wal!) / transfers),
  }
}

/** 10,000 user accounts, each funded generously, plus one hot account; all over the API. */
async function seed(url: string) {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    })
    if (response.status >= 300) throw new Error(`${path}: ${await response.text()}`)
    return response.json() as Promise<any>
  }
  const funding = await post('/v1/accounts', {
    owner_ref: 'system:funding',
    currency: 'USD',
    kind: 'system',
    allow_negative: true,
  })
  const ids: string[] = []
  for (let i = 0; i < account_count; i += 50) {
    const made = await Promise.all(
      Array.from({ length: Math.min(50, account_count - i) }, (_, k) =>
        post('/v1/accounts', { owner_ref: `bench:${i + k}`, currency: 'USD' })
      )
    )
    ids.push(...made.map((a) => a.id))
  }
  const hotAccount = await post('/v1/accounts', { owner_ref: 'bench:hot', currency: 'USD' })
  const fund = [...ids, hotAccount.id]
  for (let i = 0; i < fund.length; i += 100) {
    await post('/v1/transfers/batch', {
      transfers: fund.slice(i, i + 100).map((id) => ({
        debit_account_id: funding.id,
        credit_account_id: id,
        amount: id === hotAccount.id ? 1_000_000_000 : 10_000_000,
        currency: 'USD',
      })),
    })
  }
  return { accounts: ids, hot: hotAccount.id as string }
}
