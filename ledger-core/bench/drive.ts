import { randomUUID } from 'node:crypto'
import autocannon from 'autocannon'
import type { LedgerProcess } from '../src/testing/ledger_process.ts'

/**
 * POSTs to `path` on every target at once for `seconds`, the connections
 * split between them. Each request has its own idempotency key and a fresh
 * body, so no two are replays of each other.
 */
export function drive(
  targets: LedgerProcess[],
  options: {
    path: string
    body: () => string
    connections: number
    seconds: number
    headers: Record<string, string>
  }
): Promise<autocannon.Result[]> {
  return Promise.all(
    targets.map((target) =>
      autocannon({
        url: `${target.url}${options.path}`,
        connections: Math.max(1, Math.round(options.connections / targets.length)),
        duration: options.seconds,
        method: 'POST',
        headers: options.headers,
        requests: [
          {
            setupRequest: (request: any) => ({
              ...request,
              headers: { ...request.headers, 'idempotency-key': randomUUID() },
              body: options.body(),
            }),
          },
        ],
      })
    )
  )
}
