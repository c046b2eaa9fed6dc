import { spawn, type ChildProcess } from 'node:child_process'
import pg from 'pg'
import { freePort } from '@purse/ledger-core/dev'
import { migrate } from '@purse/ledger-core'
import { startLedgerProcess, test_api_token, type LedgerProcess } from '@purse/ledger-core/testing'
import { accepts, startNginx, type Balancer } from './nginx.ts'
import { ace, startAppProcess, type AppProcess } from './stack.ts'

/** Production settings every app replica shares: one JWT key, one service token. */
const replica_env = {
  NODE_ENV: 'production',
  APP_KEY: 'cluster-test-app-key-0123456789abcdef',
  JWT_SECRET: 'cluster-test-jwt-secret-0123456789abcdef',
  LEDGER_API_TOKEN: test_api_token,
  SANDBOX_DEPOSITS: 'true',
  // The people of these tests never read their mail: verification is another test's.
  REQUIRE_VERIFIED_EMAIL: 'false',
  // Each of their people pays far more often than a person's hourly limit allows.
  PAYMENT_LIMITS: 'false',
  // Production needs a mail server; the discard port takes nothing, so mail waits in the outbox.
  SMTP_URL: 'smtp://127.0.0.1:9',
  RATE_LIMIT_IP_PER_MINUTE: '100000000',
  RATE_LIMIT_TRANSFERS_PER_MINUTE: '100000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
  // Unsettled payments are looked at again every second, not every 15.
  PAYMENT_FOLLOW_UP_MS: '1000',
}

/**
 * The production builds, as `npm run build` makes them: the app with
 * `node ace build` (build/bin/server.js) and ledger-core with tsc (dist/main.js).
 */
export async function buildProduction() {
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) =>
      spawn(process.execPath, args, {
        cwd: new URL('../../', import.meta.url).pathname,
        stdio: 'ignore',
      }).on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed`))
      )
    )
  await Promise.all([
    run(['--import=@poppinss/ts-exec', 'ace.js', 'build']),
    run(['node_modules/typescript/bin/tsc', '-p', 'ledger-core/tsconfig.build.json']),
  ])
}

export interface Cluster {
  balancer: Balancer
  ledgers: LedgerProcess[]
  apps: AppProcess[]
  /** SIGKILL replica `i` of a tier. */
  kill(tier: 'ledger' | 'app', i: number): Promise<void>
  /** Start replica `i` of a tier again, on its port. */
  restart(tier: 'ledger' | 'app', i: number): Promise<void>
  /** End every PostgreSQL session of the apps and ledgers, as a failover or a DBA would. */
  terminateDatabaseSessions(): Promise<number>
  /** Stop the cluster's Redis and start it again, empty. */
  restartRedis(downMs: number): Promise<void>
  stop(): Promise<void>
}

/**
 * The reference topology on one machine: migrations as an explicit step,
 * two ledger-core and two app replicas from their production builds, nginx
 * balancing both tiers; the apps reach ledger-core through nginx.
 */
export async function startCluster(databaseUrl: string): Promise<Cluster> {
  await migrate(databaseUrl)
  await ace(['migration:run', '--force'], databaseUrl)
  const ledgerPorts = [await freePort(), await freePort()]
  const appPorts = [await freePort(), await freePort()]
  const balancer = await startNginx({ appPorts, ledgerPorts })
  // A Redis of the cluster's own, so restarting it touches nothing else on the machine.
  const redis = await startRedis(await freePort())
  const startLedger = (i: number) =>
    startLedgerProcess(databaseUrl, { port: ledgerPorts[i], build: true })
  const startApp = (i: number) =>
    startAppProcess(
      {
        ...replica_env,
        DATABASE_URL: databaseUrl,
        LEDGER_URL: balancer.ledgerUrl,
        REDIS_URL: redis.url,
      },
      { build: true, port: appPorts[i] }
    )
  const ledgers = await Promise.all([startLedger(0), startLedger(1)])
  const apps = await Promise.all([startApp(0), startApp(1)])
  return {
    balancer,
    ledgers,
    apps,
    async kill(tier, i) {
      if (tier === 'ledger') await ledgers[i]!.stop('SIGKILL')
      else {
        apps[i]!.child.kill('SIGKILL')
        await new Promise((resolve) =>
          apps[i]!.child.exitCode !== null || apps[i]!.child.signalCode !== null
            ? resolve(null)
            : apps[i]!.child.once('exit', resolve)
        )
      }
    },
    async restart(tier, i) {
      if (tier === 'ledger') ledgers[i] = await startLedger(i)
      else apps[i] = await startApp(i)
    },
    async terminateDatabaseSessions() {
      const admin = new pg.Client({ connectionString: databaseUrl })
      await admin.connect()
      try {
        const ended = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`
        )
        return ended.rowCount ?? 0
      } finally {
        await admin.end()
      }
    },
    async restartRedis(downMs) {
      await redis.stop()
      await new Promise((resolve) => setTimeout(resolve, downMs))
      await redis.start()
    },
    async stop() {
      await Promise.all(apps.map((a) => a.stop()))
      await Promise.all(ledgers.map((l) => l.stop()))
      await balancer.stop()
      await redis.stop()
    },
  }
}

/** Debian's redis-server on its own port, keeping nothing on disk. */
async function startRedis(port: number) {
  let child: ChildProcess | null = null
  const start = async () => {
    child = spawn(
      process.env.REDIS_SERVER_PATH ?? 'redis-server',
      ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' }
    )
    for (let i = 0; !(await accepts(port)); i++) {
      if (i > 200) throw new Error('redis-server did not start')
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child
      if (!running || running.exitCode !== null) return
      running.kill('SIGKILL')
      await new Promise((resolve) => running.once('exit', resolve))
    },
  }
}
