import { spawn, type ChildProcess } from 'node:child_process'
import pg from 'pg'
import { ContractChecker } from '@purse/ledger-core/testing'
import { freePort, provisionDatabase } from '@purse/ledger-core/dev'
import { startLedgerProcess, test_api_token, type LedgerProcess } from '@purse/ledger-core/testing'

export { test_api_token as ledger_test_token }

export interface AppProcess {
  url: string
  child: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/**
 * The public API as its own process (bin/server.ts), talking to a ledger-core
 * process over HTTP: the production topology, on one machine.
 */
export async function startAppProcess(
  env: Record<string, string>,
  options: { build?: boolean; port?: number } = {}
): Promise<AppProcess> {
  const port = options.port ?? (await freePort())
  // From source through the TypeScript loader, or the production build (node ace build).
  const args = options.build
    ? ['build/bin/server.js']
    : ['--import=@poppinss/ts-exec', 'bin/server.ts']
  const child = spawn(process.execPath, args, {
    cwd: new URL('../../', import.meta.url).pathname,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SANDBOX_DEPOSITS: 'true',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_TRANSFERS_PER_MINUTE: '1000000',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited during start:\n${output}`)
    try {
      if ((await fetch(`${url}/health/live`)).ok) break
    } catch {}
    if (i > 400) throw new Error(`the API did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    },
  }
}

export interface DispatcherProcess {
  child: ChildProcess
  output: () => string
  /** Send a signal (SIGTERM by default) and wait for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** `node ace webhooks:work` as its own process, on the suite's database. */
export async function startDispatcher(
  env: Record<string, string> = {}
): Promise<DispatcherProcess> {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'ace.js', 'webhooks:work'], {
    cwd: new URL('../../', import.meta.url).pathname,
    env: { ...appTestEnv(), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  for (let i = 0; !output.includes('delivering webhooks'); i++) {
    if (child.exitCode !== null) throw new Error(`the dispatcher exited during start:\n${output}`)
    if (i > 600) throw new Error(`the dispatcher did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill(signal)
      return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    },
  }
}

export interface TestStack {
  url: string
  databaseUrl: string
  app: AppProcess
  stop(): Promise<void>
}

/**
 * A fresh database (migrated) and the API as its own process with ledger-core
 * embedded: what a workspace's tests (SDK, console) run against.
 */
export async function startTestStack(
  name: string,
  env: Record<string, string> = {},
  options: { port?: number } = {}
): Promise<TestStack> {
  const database = await provisionDatabase({
    database: `purse_${name}_test_${process.pid}`,
    fresh: true,
    dataDir: new URL(`../../.data/${name}-test`, import.meta.url).pathname,
  })
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, ['--import=@poppinss/ts-exec', 'ace.js', 'migration:run', '--force'], {
      cwd: new URL('../../', import.meta.url).pathname,
      stdio: 'ignore',
      env: { ...appTestEnv(), DATABASE_URL: database.url },
    }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error('app migrations failed'))))
  )
  const app = await startAppProcess({ ...env, DATABASE_URL: database.url }, options)
  return {
    url: app.url,
    databaseUrl: database.url,
    app,
    async stop() {
      await app.stop()
      await database.stop()
    },
  }
}

/** Run an ace command (users:promote, history:reconcile…) against a test database. */
export function ace(args: string[], databaseUrl: string) {
  return new Promise<void>((resolve, reject) =>
    spawn(process.execPath, ['--import=@poppinss/ts-exec', 'ace.js', ...args], {
      cwd: new URL('../../', import.meta.url).pathname,
      stdio: 'ignore',
      env: { ...appTestEnv(), DATABASE_URL: databaseUrl },
    }).on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ace ${args.join(' ')} exited with ${code}`))
    )
  )
}

function appTestEnv() {
  return { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '1', LOG_LEVEL: 'warn' }
}

export async function startLedger(
  databaseUrl: string,
  port?: number,
  env?: Record<string, string>
): Promise<LedgerProcess> {
  return startLedgerProcess(databaseUrl, { port, env })
}

/**
 * The contracts every answer `call` receives is checked against: ledger-core's
 * for its own routes (`/v1/…`), the public API's for the rest. Answers from
 * real processes include what in-process tests rarely see: 503s with the
 * ledger down, 429s from limits kept on Redis.
 */
const contracts = {
  api: ContractChecker.load(new URL('../../openapi/public.yaml', import.meta.url)),
  ledger: ContractChecker.load(new URL('../../ledger-core/openapi.yaml', import.meta.url)),
}

/** JSON over fetch, for tests that talk to separate processes; see `contracts`. */
export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {}
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  const type = response.headers.get('content-type')
  const answer = {
    status: response.status,
    body: text && type?.includes('json') ? JSON.parse(text) : text || null,
    headers: response.headers,
  }
  const contract = await (path.startsWith('/v1/') ? contracts.ledger : contracts.api)
  contract.check(method, path.split('?')[0]!, answer.status, type, answer.body ?? '')
  return answer
}

/**
 * Locks a ledger account from a PostgreSQL session of its own, so a payment
 * from it waits in ledger-core (holding its idempotency key) until the
 * returned unlock, which may be called more than once.
 */
export async function lockLedgerAccount(databaseUrl: string, accountId: string) {
  const session = new pg.Client({ connectionString: databaseUrl })
  await session.connect()
  await session.query('BEGIN')
  await session.query('SELECT 1 FROM ledger.accounts WHERE id = $1 FOR UPDATE', [accountId])
  let locked = true
  return async () => {
    if (!locked) return
    locked = false
    await session.query('COMMIT')
    await session.end()
  }
}
