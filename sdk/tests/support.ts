import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  lockLedgerAccount as lockAccount,
  startTestStack,
  type TestStack,
} from '../../tests/support/stack.ts'

let stack: TestStack | null = null

/** The real stack for the SDK's tests: a fresh database, migrated, and the API as its own process. */
export async function startStack() {
  stack = await startTestStack('sdk')
  return () => stack!.stop()
}

export function apiUrl(): string {
  if (!stack) throw new Error('the stack is started by bin/test.ts')
  return stack.url
}

/** A payment from this account waits in ledger-core until the returned unlock. */
export function lockLedgerAccount(accountId: string) {
  if (!stack) throw new Error('the stack is started by bin/test.ts')
  return lockAccount(stack.databaseUrl, accountId)
}

/**
 * A proxy in front of the API that counts requests by "METHOD /path" and can
 * drop the answer of chosen requests after the API has handled them: the
 * caller sees a broken connection although the work was done.
 */
export async function startProxy(target: string) {
  const counts = new Map<string, number>()
  let dropNext: ((method: string, path: string) => boolean) | null = null
  const server = http.createServer((req, res) => {
    const key = `${req.method} ${req.url?.split('?')[0]}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
    const drop = dropNext?.(req.method!, req.url!.split('?')[0]!) ?? false
    if (drop) dropNext = null
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        if (drop) {
          answer.resume()
          answer.on('end', () => req.socket.destroy())
          return
        }
        res.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => req.socket.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    count: (key: string) => counts.get(key) ?? 0,
    dropAnswerOf(match: (method: string, path: string) => boolean) {
      dropNext = match
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
