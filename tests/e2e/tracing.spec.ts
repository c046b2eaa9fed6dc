import { randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import { migrate } from '@purse/ledger-core'
import { call, ledger_test_token, startAppProcess, startLedger } from '#tests/support/stack'

/** A stand-in OTLP/HTTP collector: keeps every span it is sent, by trace id. */
async function startCollector() {
  const spans: { service: string; traceId: string; name: string }[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          const service = resource.resource.attributes.find((a: any) => a.key === 'service.name')
            ?.value.stringValue
          for (const scope of resource.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              spans.push({ service, traceId: span.traceId, name: span.name })
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

test.group('Tracing across processes', () => {
  test('one payment is one trace in the API and ledger-core, and their logs carry its id', async ({
    assert,
  }) => {
    const collector = await startCollector()
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'info',
    }
    await migrate(process.env.DATABASE_URL!)
    const ledger = await startLedger(process.env.DATABASE_URL!, undefined, {
      ...otel,
      LOG_LEVEL: 'debug',
    })
    const app = await startAppProcess({
      LEDGER_URL: ledger.url,
      LEDGER_API_TOKEN: ledger_test_token,
      ...otel,
    })
    try {
      const signup = async () =>
        (
          await call(app.url, 'POST', '/api/v1/auth/register', {
            email: `${randomUUID()}@example.com`,
            password: 'correct horse battery',
            full_name: 'Traced',
          })
        ).body
      const [alice, bob] = [await signup(), await signup()]
      await call(app.url, 'POST', '/api/v1/deposits', { amount: 500 }, alice.access_token)

      // The caller starts the trace; both processes continue it.
      const traceId = randomBytes(16).toString('hex')
      const response = await fetch(`${app.url}/api/v1/transfers`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'authorization': `Bearer ${alice.access_token}`,
          'traceparent': `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
        body: JSON.stringify({ receiver_id: bob.user.id, amount: 125 }),
      })
      assert.equal(response.status, 201)
      const requestId = response.headers.get('x-request-id')

      // Whole lines only: the last one may still be arriving.
      const lines = (output: string) =>
        output
          .split('\n')
          .slice(0, -1)
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line))
      const apiLineOf = () => lines(app.output()).find((l) => l.msg === 'transfer completed')
      const ledgerLinesOf = () => lines(ledger.output()).filter((l) => l.trace_id === traceId)
      // Spans are exported in batches, and log lines leave through pino's
      // transport thread: both arrive a moment after the answer.
      for (let i = 0; i < 100; i++) {
        const services = new Set(
          collector.spans.filter((s) => s.traceId === traceId).map((s) => s.service)
        )
        const logged = apiLineOf() && ledgerLinesOf().length > 0
        if (services.has('purse-api') && services.has('purse-ledger-core') && logged) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const traced = collector.spans.filter((s) => s.traceId === traceId)
      assert.includeMembers(
        traced.map((s) => s.service),
        ['purse-api', 'purse-ledger-core']
      )

      const apiLine = apiLineOf()
      assert.equal(apiLine?.trace_id, traceId)
      assert.equal(apiLine?.request_id, requestId)
      assert.isAbove(ledgerLinesOf().length, 0)
      // Secrets never reach a log line.
      assert.notInclude(app.output() + ledger.output(), alice.access_token)
      assert.notInclude(ledger.output(), ledger_test_token)
    } finally {
      await app.stop()
      await ledger.stop()
      await collector.close()
    }
  }).timeout(60_000)
})
