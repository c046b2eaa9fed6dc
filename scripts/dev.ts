import { randomBytes } from 'node:crypto'
import { spawn } from 'node:child_process'
import { provisionDatabase } from '../ledger-core/src/dev/database.ts'
import { migrate } from '../ledger-core/src/store/migrator.ts'

/**
 * `npm run dev`: run Purse on this machine with nothing installed by hand.
 * PostgreSQL comes from DATABASE_URL, else a container, else an embedded
 * server kept in .data/; migrations run; every process starts; URLs and
 * credentials are printed.
 */
const database = await provisionDatabase({
  database: 'purse_dev',
  fresh: false,
  dataDir: new URL('../.data/dev-postgres', import.meta.url).pathname,
})
await migrate(database.url)

const ledgerToken = process.env.LEDGER_API_TOKEN ?? randomBytes(24).toString('base64url')
const ledgerPort = process.env.LEDGER_PORT ?? '4100'
const ledger = spawn(process.execPath, ['ledger-core/src/main.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    LEDGER_API_TOKEN: ledgerToken,
    PORT: ledgerPort,
  },
})

const ledgerUrl = `http://127.0.0.1:${ledgerPort}`
const demo = await seedLedger(ledgerUrl, ledgerToken)

console.log(`
Purse is running (PostgreSQL: ${database.source})
  ledger-core   http://127.0.0.1:${ledgerPort}   (health: /health, contract: ledger-core/openapi.yaml)
  service token ${ledgerToken}
  database      ${database.url.replace(/:[^:@/]+@/, ':***@')}
  demo accounts ${demo.map((a) => `${a.owner_ref} (${a.id}, ${a.balance} ${a.currency} minor units)`).join('\n                ')}
Try:  curl -H "Authorization: Bearer ${ledgerToken}" http://127.0.0.1:${ledgerPort}/v1/invariants
Stop with Ctrl-C.
`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  ledger.kill('SIGTERM')
  await new Promise((resolve) => ledger.once('exit', resolve))
  await database.stop()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
ledger.on('exit', (code) => {
  if (!stopping) {
    console.error(`ledger-core exited with code ${code}`)
    void database.stop().then(() => process.exit(1))
  }
})

/**
 * Demo data, safe to run on every start: accounts are ensured, and each is
 * funded only while it holds nothing.
 */
async function seedLedger(url: string, token: string) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    if (i > 200) throw new Error('ledger-core did not start')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'authorization': `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomBytes(16).toString('hex'),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (response.status >= 300) throw new Error(`${path}: ${await response.text()}`)
    return response.json() as Promise<any>
  }
  const funding = await call('/v1/accounts', {
    owner_ref: 'system:funding',
    currency: 'USD',
    kind: 'system',
    allow_negative: true,
  })
  const accounts = []
  for (const [owner, amount] of [
    ['user:demo-alice', 100_00],
    ['user:demo-bob', 25_00],
  ] as const) {
    let account = await call('/v1/accounts', { owner_ref: owner, currency: 'USD' })
    if (account.balance === 0) {
      await call('/v1/transfers', {
        debit_account_id: funding.id,
        credit_account_id: account.id,
        amount,
        currency: 'USD',
        description: 'Demo funds',
      })
      account = await call(`/v1/accounts/${account.id}`)
    }
    accounts.push(account)
  }
  return accounts
}
