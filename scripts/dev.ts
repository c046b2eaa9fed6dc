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

console.log(`
Purse is starting (PostgreSQL: ${database.source})
  ledger-core   http://127.0.0.1:${ledgerPort}   (health: /health, contract: ledger-core/openapi.yaml)
  service token ${ledgerToken}
  database      ${database.url.replace(/:[^:@/]+@/, ':***@')}
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
