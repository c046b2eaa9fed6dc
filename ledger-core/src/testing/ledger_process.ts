import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from '../dev/database.ts'

export const test_api_token = 'test-service-token-0123456789abcdef0123456789'

export interface LedgerProcess {
  url: string
  port: number
  child: ChildProcess
  output: () => string
  /** Send a signal and wait for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * Start a real ledger-core process and wait until it is healthy: from source
 * (node src/main.ts), or from the production build (dist/main.js, written by
 * `npm run build -w ledger-core`).
 */
export async function startLedgerProcess(
  databaseUrl: string,
  options: { port?: number; env?: Record<string, string>; build?: boolean } = {}
): Promise<LedgerProcess> {
  const port = options.port ?? (await freePort())
  const entry = options.build ? '../../dist/main.js' : '../main.ts'
  const child = spawn(process.execPath, [new URL(entry, import.meta.url).pathname], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LEDGER_API_TOKEN: test_api_token,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ledger-core exited during start:\n${output}`)
    try {
      const response = await fetch(`${url}/health`)
      if (response.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`ledger-core did not become healthy:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url,
    port,
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}
