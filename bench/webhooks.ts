import { spawn } from 'node:child_process'
import os from 'node:os'
import autocannon from 'autocannon'
import pg from 'pg'
import { migrate } from '@purse/ledger-core'
import { provisionDatabase } from '@purse/ledger-core/dev'
import { startAppProcess, startDispatcher, type AppProcess } from '../tests/support/stack.ts'
import { startReceiver } from '../tests/support/webhook_receiver.ts'

/**
 * `npm run bench:webhooks`: what the events outbox costs a payment, and how
 * fast one dispatcher delivers webhooks to a receiver on this machine.
 *
 * 1. Payments per second with the outbox on and off (EVENTS_OUTBOX), runs
 *    interleaved A, B, A, B, A, B so the machine's drift falls on both;
 *    the median of each is reported.
 * 2. A backlog of events delivered by one dispatcher (`node ace
 *    webhooks:work`, WEBHOOK_CONCURRENCY 16): deliveries per second.
 * 3. Under a steady 100 payments/s (200 deliveries/s, within one
 *    dispatcher's capacity): the time from the payment's ledger commit (its
 *    created_at) to the receiver's 200, p50 and p99.
 *
 * BENCH_DURATION_S (default 10), BENCH_CONNECTIONS (64), BENCH_BACKLOG (4000).
 */
const duration_s = Number(process.env.BENCH_DURATION_S ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64)
const backlog_count = Number(process.env.BENCH_BACKLOG ?? 4_000)
const people_count = 100

const database = await provisionDatabase({
  database: 'purse_webhooks_bench',
  fresh: true,
  dataDir: new URL('../.data/webhooks-bench', import.meta.url).pathname,
})
await migrate(database.url)
const env = {
  DATABASE_URL: database.url,
  // Shared by the API and the dispatcher: it encrypts the endpoints' signing secrets.
  APP_KEY: 'bench-app-key-0123456789abcdef012345',
  JWT_SECRET: 'bench-jwt-0123456789abcdef0123456789',
  DATABASE_POOL_MAX: '20',
  RATE_LIMIT_IP_PER_MINUTE: '100000000',
  RATE_LIMIT_TRANSFERS_PER_MINUTE: '100000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
  WEBHOOKS_ALLOW_LOCAL: 'true',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
}
await run(['--import=@poppinss/ts-exec', 'ace.js', 'migration:run', '--force'], env)
await run(['--import=@poppinss/ts-exec', 'ace.js', 'build'], {})
console.log(
  `PostgreSQL from ${database.source}; ${os.cpus().length} cores; ${connections} connections, ${duration_s} s per run`
)

// 1. The outbox's cost, interleaved.
const runs: Record<'on' | 'off', number[]> = { on: [], off: [] }
for (let round = 0; round < Number(process.env.BENCH_ROUNDS ?? 3); round++) {
  for (const outbox of ['on', 'off'] as const) {
    const app = await startAppProcess(
      { ...env, EVENTS_OUTBOX: String(outbox === 'on') },
      { build: true }
    )
    const people = await signUp(app, `${outbox}${round}`)
    await pay(app, people, 3) // warm-up
    const result = await pay(app, people, duration_s)
    runs[outbox].push(Math.round(result.requests.average))
    console.log(
      `outbox ${outbox}, round ${round + 1}: ${Math.round(result.requests.average)} payments/s, p99 ${result.latency.p99} ms`
    )
    await app.stop()
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!
const [on, off] = [median(runs.on), median(runs.off)]
console.log(
  `outbox: ${on} payments/s with it, ${off} without: ${(((off - on) / off) * 100).toFixed(1)} % fewer`
)

// 2. A backlog, delivered by one dispatcher.
const app = await startAppProcess(env, { build: true })
const receiver = await startReceiver()
const people = await signUp(app, 'hooks')
for (const person of people) await endpoint(app, person.token, receiver.url)
const admin = new pg.Client({ connectionString: database.url })
await admin.connect()
const queued = async () =>
  Number(
    (await admin.query(`SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'`)).rows[0]
      .count
  )
while ((await queued()) < backlog_count) await pay(app, people, 1)
const backlog = await queued()
const dispatcher = await startDispatcher({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'warn' })
const started = Date.now()
const before = receiver.received.length
await receiver
  .waitFor(() => receiver.received.length - before >= backlog, 300_000)
  .catch(async (error) => {
    // A stray dispatcher would keep delivering into the next run's database of the same name.
    await dispatcher.stop('SIGKILL')
    await app.stop()
    throw error
  })
const took_s = (Date.now() - started) / 1000
console.log(
  `backlog: ${backlog} deliveries in ${took_s.toFixed(1)} s: ${Math.round(backlog / took_s)} deliveries/s by one dispatcher`
)

// 3. Commit to the receiver's 200, under a steady stream below the dispatcher's
// capacity: 100 payments/s, each an event for both people, so 200 deliveries/s.
const from = receiver.received.length
const steadyStart = Date.now()
await pay(app, people, duration_s, 16, 100)
await new Promise((resolve) => setTimeout(resolve, 3_000))
// Only this phase's payments: a few of the backlog's may still arrive at its start.
const latencies = receiver.received
  .slice(from)
  .map((r) => ({ at: r.at, committed: Date.parse(JSON.parse(r.body).data.created_at) }))
  .filter((r) => r.committed >= steadyStart)
  .map((r) => r.at - r.committed)
  .sort((a, b) => a - b)
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
console.log(
  `steady: ${latencies.length} deliveries; commit to receiver 200: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`
)

await dispatcher.stop()
await receiver.close()
await app.stop()
await admin.end()
await database.stop()

async function signUp(target: AppProcess, tag: string) {
  const made: { id: string; token: string }[] = []
  for (let i = 0; i < people_count; i += 10) {
    made.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const session = await post(target, '/api/v1/auth/register', {
            email: `bench-${tag}-${i + k}@example.com`,
            password: 'bench password 1',
            full_name: `Bench ${i + k}`,
          })
          await post(target, '/api/v1/deposits', { amount: 100_000_000 }, session.access_token)
          return { id: session.user.id as string, token: session.access_token as string }
        })
      ))
    )
  }
  return made
}

function pay(
  target: AppProcess,
  who: { id: string; token: string }[],
  seconds: number,
  conns = connections,
  overallRate?: number
) {
  const pick = () => who[Math.floor(Math.random() * who.length)]!
  return autocannon({
    url: target.url,
    connections: conns,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        setupRequest: (request: any) => {
          const payer = pick()
          let payee = pick()
          while (payee === payer) payee = pick()
          return {
            ...request,
            method: 'POST',
            path: '/api/v1/transfers',
            headers: {
              'content-type': 'application/json',
              'authorization': `Bearer ${payer.token}`,
            },
            body: JSON.stringify({ receiver_id: payee.id, amount: 1 }),
          }
        },
      },
    ],
  })
}

async function endpoint(target: AppProcess, token: string, url: string) {
  await post(
    target,
    '/api/v1/webhook-endpoints',
    { url, event_types: ['transfer.completed'] },
    token
  )
}

async function post(target: AppProcess, path: string, body: unknown, token?: string) {
  const response = await fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return response.json() as Promise<any>
}

function run(args: string[], extra: Record<string, string>) {
  return new Promise<void>((resolve, reject) =>
    spawn(process.execPath, args, {
      stdio: 'inherit',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '1',
        LOG_LEVEL: 'warn',
        ...extra,
      },
    }).on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed`))
    )
  )
}
