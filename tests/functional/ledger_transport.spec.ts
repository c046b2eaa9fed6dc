import { createServer, type Server } from 'node:http'
import { test } from '@japa/runner'
import { createLedgerClient } from '@purse/ledger-core/client'
import { ledgerTransport } from '#ledger/ledger_transport'

/** A stand-in ledger-core: answers what the test says, or never answers. */
async function standIn(answer: (url: string, body: string, headers: any) => any) {
  let hungUp: () => void
  const callerHungUp = new Promise<void>((resolve) => (hungUp = resolve))
  const server: Server = createServer((req, res) => {
    res.on('close', () => !res.writableFinished && hungUp())
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      const reply = answer(req.url!, body, req.headers)
      if (!reply) return // hang
      res.writeHead(reply.status, reply.headers).end(reply.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    callerHungUp,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

test.group('Ledger transport', () => {
  test('carries method, path, headers and body; hands back status, headers and JSON', async ({
    assert,
  }) => {
    let seen: any
    const ledger = await standIn((url, body, headers) => {
      seen = { url, body: JSON.parse(body), headers }
      return {
        status: 201,
        headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
        body: JSON.stringify({ id: 'acc-1', balance: 0 }),
      }
    })
    const transport = ledgerTransport({ connections: 2 })
    const client = createLedgerClient({ baseUrl: ledger.url, token: 'secret', ...transport })
    const { data, response } = await client.POST('/v1/accounts', {
      body: { owner_ref: 'user:1', currency: 'USD' },
      params: { header: { 'Idempotency-Key': 'k-1' } } as any,
    })
    assert.equal(response.status, 201)
    assert.equal(response.headers.get('Idempotent-Replayed'), 'true')
    assert.deepEqual(data as any, { id: 'acc-1', balance: 0 })
    assert.equal(seen.url, '/v1/accounts')
    assert.deepEqual(seen.body, { owner_ref: 'user:1', currency: 'USD' })
    assert.equal(seen.headers.authorization, 'Bearer secret')
    assert.equal(seen.headers['idempotency-key'], 'k-1')
    assert.equal(seen.headers['content-type'], 'application/json')
    await transport.close()
    await ledger.close()
  })

  test('a refusal comes back as the parsed problem; a 204 has no body', async ({ assert }) => {
    const ledger = await standIn((url) =>
      url.endsWith('/freeze')
        ? { status: 204, headers: {}, body: '' }
        : {
            status: 422,
            headers: { 'content-type': 'application/problem+json' },
            body: JSON.stringify({ code: 'insufficient_funds', status: 422 }),
          }
    )
    const transport = ledgerTransport({ connections: 2 })
    const client = createLedgerClient({ baseUrl: ledger.url, token: 't', ...transport })
    const refused = await client.GET('/v1/accounts/{account_id}', {
      params: { path: { account_id: 'a' } },
    })
    assert.equal(refused.response.status, 422)
    assert.equal((refused.error as any).code, 'insufficient_funds')
    const frozen = await client.POST('/v1/accounts/{account_id}/freeze', {
      params: { path: { account_id: 'a' } },
    })
    assert.equal(frozen.response.status, 204)
    assert.isUndefined(frozen.data)
    await transport.close()
    await ledger.close()
  })

  test('a request that never gets an answer is cancelled by its signal', async ({ assert }) => {
    const ledger = await standIn(() => null)
    const transport = ledgerTransport({ connections: 2 })
    const client = createLedgerClient({ baseUrl: ledger.url, token: 't', ...transport })
    await assert.rejects(() => client.GET('/v1/invariants', { signal: AbortSignal.timeout(100) }))
    // The connection was really given up, not just the promise.
    await ledger.callerHungUp
    await transport.close()
    await ledger.close()
  })
})
