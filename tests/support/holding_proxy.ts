import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HoldingProxy {
  url: string
  /** Whether answers to the requests `hold` picks are kept back. */
  holding: boolean
  stop(): Promise<void>
}

/**
 * An HTTP proxy in front of ledger-core that passes every request on, but
 * keeps back ledger-core's answers to the requests `hold` picks while
 * `holding`: ledger-core did the work, and its caller times out not knowing
 * it. This is a lost answer as the API sees one.
 */
export async function startHoldingProxy(
  target: string,
  hold: (request: http.IncomingMessage) => boolean
): Promise<HoldingProxy> {
  const server = http.createServer((request, response) => {
    const upstream = http.request(
      new URL(request.url!, target),
      { method: request.method, headers: request.headers },
      (answer) => {
        if (proxy.holding && hold(request)) return answer.resume()
        response.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(response)
      }
    )
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const proxy: HoldingProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding: true,
    async stop() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
  return proxy
}
