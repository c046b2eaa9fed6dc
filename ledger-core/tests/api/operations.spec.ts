import { test } from '@japa/runner'
import { ledger } from '../support/shared_ledger.ts'
import { uniqueRef } from '../support/ledger_client.ts'

test.group('Service token', () => {
  test('every operation but /health needs the token: {$self}')
    .with(['GET /v1/accounts', 'POST /v1/transfers', 'GET /v1/invariants', 'GET /metrics'])
    .run(async ({ assert }, route) => {
      const [method, path] = route.split(' ') as [string, string]
      for (const token of [null, 'wrong-token', '']) {
        const response = await ledger().request(method, path, {
          token,
          body: method === 'POST' ? {} : undefined,
        })
        assert.equal(response.status, 401)
        assert.equal(response.body.code, 'unauthorized')
      }
    })

  test('the Bearer scheme is read in any case; another scheme is refused', async ({ assert }) => {
    const statuses = []
    for (const scheme of ['bearer', 'BEARER', 'Basic']) {
      const response = await ledger().request('GET', '/v1/invariants', {
        token: null,
        headers: { authorization: `${scheme} ${ledger().token}` },
      })
      statuses.push(response.status)
    }
    assert.deepEqual(statuses, [200, 200, 401])
  })
})

test.group('Operations', () => {
  test('health reports the process and the database', async ({ assert }) => {
    const response = await ledger().request('GET', '/health', { token: null })
    assert.equal(response.status, 200)
    assert.deepEqual(response.body, { status: 'ok', checks: { database: 'ok', writer: 'ok' } })
  })

  test('invariants hold after the suite’s traffic', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 100)
    await ledger().transfer(a.id, (await ledger().account(uniqueRef())).id, 40, { pending: true })
    const report = await ledger().get('/v1/invariants')
    assert.isTrue(report.body.ok, JSON.stringify(report.body.violations))
    for (const currency of report.body.currencies) assert.equal(currency.balance_sum, '0')
  })

  test('metrics expose request latency and writer batches', async ({ assert }) => {
    const response = await ledger().get('/metrics')
    assert.equal(response.status, 200)
    assert.include(response.body, 'ledger_http_request_duration_seconds_bucket')
    assert.include(response.body, 'ledger_writer_batch_ops_bucket')
    assert.include(response.body, 'ledger_transfers_total')
  })

  test('unknown routes are problem+json 404s with a request id', async ({ assert }) => {
    const response = await ledger().get('/v1/nothing-here')
    assert.equal(response.status, 404)
    assert.equal(response.body.code, 'not_found')
    assert.equal(response.headers.get('x-request-id'), response.body.request_id)
  })

  test('a method a route does not take is a 405 naming the methods it takes', async ({
    assert,
  }) => {
    const account = await ledger().account(uniqueRef())
    const cases = [
      ['DELETE', `/v1/accounts/${account.id}`, 'GET, HEAD'],
      ['PUT', '/v1/transfers', 'POST'],
      ['PATCH', '/v1/accounts', 'GET, HEAD, POST'],
    ] as const
    for (const [method, path, allow] of cases) {
      const response = await ledger().request(method, path)
      assert.equal(response.status, 405, `${method} ${path}`)
      assert.equal(response.body.code, 'method_not_allowed')
      assert.equal(response.headers.get('allow'), allow)
    }
    assert.equal((await ledger().get('/v1/accounts/a/b')).status, 404)
  })

  test('a caller’s request id is echoed', async ({ assert }) => {
    const response = await ledger().request('GET', '/v1/accounts', {
      headers: { 'x-request-id': 'trace-123' },
    })
    assert.equal(response.headers.get('x-request-id'), 'trace-123')
  })
})
