import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { provisionDatabase } from '../src/dev/database.ts'
import { migrate } from '../src/store/migrator.ts'
import { startLedgerProcess, test_api_token } from '../src/testing/ledger_process.ts'

/**
 * `node bench/explain_batch.ts`: where PostgreSQL's time goes in the
 * writer's statement for an atomic batch of 100. auto_explain (contrib)
 * logs the statement's plan with actual times, buffers and WAL to the
 * server's log; this prints the last one logged. Needs a superuser and a
 * server log it can read (PGLOG, default Debian's).
 */
const log = process.env.PGLOG ?? '/var/log/postgresql/postgresql-15-main.log'
const database = await provisionDatabase({
  database: 'ledger_explain',
  fresh: true,
  dataDir: new URL('../../.data/ledger-explain', import.meta.url).pathname,
})
await migrate(database.url)
const admin = new pg.Client({ connectionString: database.url })
await admin.connect()
for (const setting of [
  `session_preload_libraries = 'auto_explain'`,
  'auto_explain.log_min_duration = 0',
  'auto_explain.log_analyze = on',
  'auto_explain.log_buffers = on',
  'auto_explain.log_wal = on',
  'auto_explain.log_nested_statements = on',
])
  await admin.query(`ALTER DATABASE ledger_explain SET ${setting}`)
await admin.end()

const ledger = await startLedgerProcess(database.url)
const headers = { 'authorization': `Bearer ${test_api_token}`, 'content-type': 'application/json' }
const post = async (path: string, body: unknown) => {
  const response = await fetch(`${ledger.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  })
  if (response.status >= 300) throw new Error(await response.text())
  return (await response.json()) as any
}
const funding = await post('/v1/accounts', {
  owner_ref: 'system:funding',
  currency: 'USD',
  kind: 'system',
  allow_negative: true,
})
const accounts: string[] = []
for (let i = 0; i < 1000; i++)
  accounts.push((await post('/v1/accounts', { owner_ref: `explain:${i}`, currency: 'USD' })).id)
for (let i = 0; i < accounts.length; i += 100)
  await post('/v1/transfers/batch', {
    transfers: accounts.slice(i, i + 100).map((id) => ({
      debit_account_id: funding.id,
      credit_account_id: id,
      amount: 1_000_000,
      currency: 'USD',
    })),
  })
const pick = () => accounts[Math.floor(Math.random() * accounts.length)]!
for (let round = 0; round < 20; round++) {
  await post('/v1/transfers/batch', {
    transfers: Array.from({ length: 100 }, () => {
      const debit = pick()
      let credit = pick()
      while (credit === debit) credit = pick()
      return { debit_account_id: debit, credit_account_id: credit, amount: 1, currency: 'USD' }
    }),
  })
}
await ledger.stop()
await database.stop()

// The last plan of the writer's statement: from its LOG line to the next one.
const { readFile } = await import('node:fs/promises')
const text = await readFile(log, 'utf8')
const statement = text.lastIndexOf('new_transfers AS (')
if (statement < 0)
  throw new Error(`no plan in ${log}: is auto_explain installed (postgresql-contrib)?`)
const from = text.lastIndexOf('LOG:  duration:', statement)
const to = text.indexOf(' LOG: ', statement)
console.log(text.slice(from, to < 0 ? undefined : text.lastIndexOf('\n', to)))
