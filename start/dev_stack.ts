import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/**
 * `npm run dev` runs its processes with settings it makes up on start (the
 * embedded PostgreSQL's port, the ledger's token). It writes them here, so
 * that `node ace …` in another terminal works on the same stack as written
 * in the README; the file goes when the stack stops.
 */
const dev_stack_file = process.env.PURSE_DEV_STACK_FILE
  ? pathToFileURL(process.env.PURSE_DEV_STACK_FILE)
  : new URL('../.data/dev-stack.json', import.meta.url)

export function writeDevStack(env: Record<string, string>) {
  mkdirSync(new URL('.', dev_stack_file), { recursive: true })
  writeFileSync(dev_stack_file, JSON.stringify({ pid: process.pid, env }, null, 2), {
    mode: 0o600,
  })
}

export function removeDevStack() {
  rmSync(dev_stack_file, { force: true })
}

/**
 * The running dev stack's settings, for a command typed beside it; nothing
 * when none runs (or its file outlived it), nor for a test's or a
 * production's command.
 */
export function useRunningDevStack() {
  const development = (process.env.NODE_ENV ?? 'development') === 'development'
  if (!development || !existsSync(dev_stack_file)) return
  const { pid, env } = JSON.parse(readFileSync(dev_stack_file, 'utf8'))
  if (!isAlive(pid) || process.env.DATABASE_URL === env.DATABASE_URL) return
  Object.assign(process.env, env)
  console.error(`(using the development stack of \`npm run dev\`, process ${pid})`)
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
