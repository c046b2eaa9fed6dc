import { test } from '@japa/runner'
import { ledger } from '../support/shared_ledger.ts'
import { uniqueRef } from '../support/ledger_client.ts'

async function pair() {
  const a = await ledger().fundedAccount(uniqueRef(), 1_000_000)
  const b = await ledger().account(uniqueRef())
  return { a, b }
}

async function balanceOf(id: string) {
  return (await ledger().get(`/v1/accounts/${id}`)).body.balance
}

test.group('Hostile input', () => {
  test('amount {$self} is refused and moves nothing')
    .with([
      '0',
      '-1',
      '-0',
      '1.5',
      '10.00',
      '1e3',
      '"100"',
      'true',
      'null',
      '[100]',
      '{}',
      '9007199254740993',
      '1e400',
      '1000000000001',
    ])
    .run(async ({ assert }, amount) => {
      const { a, b } = await pair()
      const response = await ledger().request('POST', '/v1/transfers', {
        rawBody: `{"debit_account_id":"${a.id}","credit_account_id":"${b.id}","amount":${amount},"currency":"USD"}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': uniqueRef('key') },
      })
      assert.equal(response.status, 422)
      assert.equal(response.body.code, 'validation_failed')
      assert.equal(response.body.errors[0].field, 'amount')
      assert.equal(await balanceOf(a.id), 1_000_000)
    })

  test('unknown fields, malformed ids and oversized text are refused', async ({ assert }) => {
    const { a, b } = await pair()
    const base = { debit_account_id: a.id, credit_account_id: b.id, amount: 1, currency: 'USD' }
    for (const body of [
      { ...base, status: 'posted' },
      { ...base, debit_account_id: 'robert"); DROP TABLE ledger.accounts;--' },
      { ...base, description: 'x'.repeat(281) },
      { ...base, metadata: { ['k'.repeat(41)]: 'v' } },
      { ...base, metadata: { note: 42 } },
      { ...base, currency: 'usd' },
      { ...base, pending: 'yes' },
    ]) {
      const response = await ledger().post('/v1/transfers', body)
      assert.equal(response.status, 422, JSON.stringify(body))
      assert.equal(response.body.code, 'validation_failed')
    }
    assert.equal(await balanceOf(a.id), 1_000_000)
  })

  test('a body with {kind} is refused and moves nothing')
    .with([
      { kind: 'a __proto__ key', members: `"amount":1,"metadata":{"__proto__":{"admin":"1"}}` },
      // JSON.parse alone would keep the last amount; a proxy or a log may have read the first.
      { kind: 'a key written twice', members: `"amount":1,"amount":900000` },
      // Node 24's JSON.parse can misread escaped keys once it has met one with a backslash.
      { kind: 'a key with a backslash', members: String.raw`"amount":1,"metadata":{"a\\b":"x"}` },
      { kind: 'nesting 33 deep', members: `"amount":1,"x":${'['.repeat(32)}${']'.repeat(32)}` },
    ])
    .run(async ({ assert }, { members }) => {
      const { a, b } = await pair()
      const response = await ledger().request('POST', '/v1/transfers', {
        rawBody: `{"debit_account_id":"${a.id}","credit_account_id":"${b.id}","currency":"USD",${members}}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': uniqueRef('key') },
      })
      assert.equal(response.status, 400)
      assert.equal(response.body.code, 'invalid_json')
      assert.equal(await balanceOf(a.id), 1_000_000)
    })

  test('text PostgreSQL cannot store is refused, not a 500: {$self}')
    .with([
      String.raw`"description":"a\u0000b"`,
      String.raw`"description":"a\ud800b"`,
      String.raw`"metadata":{"note":"\u0000"}`,
      String.raw`"metadata":{"n\u0000":"v"}`,
      String.raw`"metadata":{"note":"\udc00"}`,
    ])
    .run(async ({ assert }, member) => {
      const { a, b } = await pair()
      const response = await ledger().request('POST', '/v1/transfers', {
        rawBody: `{"debit_account_id":"${a.id}","credit_account_id":"${b.id}","amount":1,"currency":"USD",${member}}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': uniqueRef('key') },
      })
      assert.equal(response.status, 400)
      assert.equal(response.body.code, 'invalid_json')
      assert.equal(await balanceOf(a.id), 1_000_000)
    })

  test('a body that is not UTF-8 is refused, not stored with replacement characters', async ({
    assert,
  }) => {
    const { a, b } = await pair()
    const prefix = `{"debit_account_id":"${a.id}","credit_account_id":"${b.id}","amount":1,"currency":"USD","description":"caf`
    // "café" as Latin-1, whose é (e9) is no UTF-8.
    const latin1 = await ledger().request('POST', '/v1/transfers', {
      rawBody: Buffer.concat([Buffer.from(prefix), Buffer.from([0xe9]), Buffer.from('"}')]),
      headers: {
        'content-type': 'application/json; charset=iso-8859-1',
        'idempotency-key': uniqueRef('key'),
      },
    })
    assert.equal(latin1.status, 400)
    assert.equal(latin1.body.code, 'invalid_json')
    assert.equal(await balanceOf(a.id), 1_000_000)
    // The same text in UTF-8 is taken as written, after a byte order mark too (RFC 8259 §8.1).
    for (const bom of ['', '\ufeff']) {
      const utf8 = await ledger().request('POST', '/v1/transfers', {
        rawBody: Buffer.from(`${bom}${prefix}é"}`),
        headers: { 'content-type': 'application/json', 'idempotency-key': uniqueRef('key') },
      })
      assert.equal(utf8.status, 201)
      assert.equal(utf8.body.description, 'café')
    }
  })

  test('malformed JSON is invalid_json, a wrong content type 415, a huge body 413', async ({
    assert,
  }) => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': uniqueRef('key') }
    const malformed = await ledger().request('POST', '/v1/transfers', {
      rawBody: '{"amount": 1,',
      headers,
    })
    assert.equal(malformed.status, 400)
    assert.equal(malformed.body.code, 'invalid_json')
    const text = await ledger().request('POST', '/v1/transfers', {
      rawBody: 'amount=1',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(text.status, 415)
    assert.equal(text.body.code, 'unsupported_media_type')
    const huge = await ledger().request('POST', '/v1/transfers', {
      rawBody: JSON.stringify({ description: 'x'.repeat(100_000) }),
      headers,
    })
    assert.equal(huge.status, 413)
    assert.equal(huge.body.code, 'payload_too_large')
  })

  test('an over-long idempotency key is refused', async ({ assert }) => {
    const { a, b } = await pair()
    const response = await ledger().transfer(a.id, b.id, 1, {}, 'k'.repeat(256))
    assert.equal(response.status, 422)
    assert.equal(await balanceOf(a.id), 1_000_000)
  })
})
