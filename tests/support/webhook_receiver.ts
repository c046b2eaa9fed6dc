import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  at: number
  headers: Record<string, string>
  body: string
}

/**
 * A partner's webhook receiver on 127.0.0.1: records every request with its
 * raw body, and answers what `answer` says (200 unless told otherwise), or
 * holds the request open until `release()`.
 */
export async function startReceiver() {
  const received: Received[] = []
  let answer: (request: Received, index: number) => number | 'hold' = () => 200
  const held: http.ServerResponse[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        at: Date.now(),
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      received.push(request)
      const status = answer(request, received.length - 1)
      if (status === 'hold') return held.push(res)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answerWith(next: typeof answer) {
      answer = next
    },
    /** Answer every held request now. */
    release(status = 200) {
      for (const res of held.splice(0)) res.writeHead(status).end('late')
    },
    async waitFor(check: () => boolean, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs
      while (!check()) {
        if (Date.now() > until)
          throw new Error(`receiver: not seen in time (${received.length} received)`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    close() {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
