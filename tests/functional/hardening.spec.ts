import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { balanceOf, fundedUser, signUp, staff } from '#tests/support/people'

const base = `http://${process.env.HOST}:${process.env.PORT}`
const cursorOf = (time: string) => Buffer.from(`${time}|${randomUUID()}`).toString('base64url')

/** Findings of the second hostile round: each answered as a 4xx problem, changing nothing. */
test.group('Hardening', () => {
  test("a cursor built like the API's own around the year {$self} is a 422, not a 500")
    .with([
      '+275760-09-13T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
    ])
    .run(async ({ client, assert }, time) => {
      const person = await fundedUser(client, 100)
      const admin = await staff(client, 'admin')
      for (const [path, token] of [
        ['/api/v1/transfers', person.access_token],
        ['/api/v1/admin/users', admin.access_token],
        ['/api/v1/admin/transfers', admin.access_token],
        ['/api/v1/admin/audit-log', admin.access_token],
      ] as const) {
        const response = await client
          .get(path)
          .qs({ cursor: cursorOf(time) })
          .bearerToken(token)
        response.assertStatus(422)
        assert.equal(response.body().errors[0].field, 'cursor')
      }
    })

  test('the earliest cursor the API can write, year 0001, is read', async ({ client }) => {
    const person = await fundedUser(client, 100)
    const response = await client
      .get('/api/v1/transfers')
      .qs({ cursor: cursorOf('0001-01-01T00:00:00.000Z') })
      .bearerToken(person.access_token)
    response.assertStatus(200)
  })

  test('a path escape that is {$self} is a 400 problem with a request id and the usual headers')
    .with(['%ZZ', '%E0%A4%A', '%C0%AF', '%FF', '%'])
    .run(async ({ client, assert }, escape) => {
      const person = await signUp(client)
      // fetch sends the path as written; the API client would re-encode it.
      const response = await fetch(`${base}/api/v1/transfers/${escape}`, {
        headers: { authorization: `Bearer ${person.access_token}` },
      })
      assert.equal(response.status, 400)
      assert.include(response.headers.get('content-type'), 'application/problem+json')
      const body = (await response.json()) as { code: string; request_id: string }
      assert.equal(body.code, 'invalid_path')
      assert.equal(body.request_id, response.headers.get('x-request-id'))
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.include(response.headers.get('content-security-policy'), "default-src 'none'")
    })

  test('a replayed refusal says it is a replay, and a new key pays once money is there', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const bob = await signUp(client)
    const key = randomUUID()
    const pay = (idempotencyKey: string) =>
      client
        .post('/api/v1/transfers')
        .header('idempotency-key', idempotencyKey)
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount: 500 })
    const first = await pay(key)
    first.assertStatus(422)
    assert.equal(first.body().code, 'insufficient_funds')
    assert.isUndefined(first.header('idempotent-replayed'))
    await client
      .post('/api/v1/deposits')
      .bearerToken(alice.access_token)
      .json({ amount: 1_000 })
      .then((r) => r.assertStatus(201))
    const again = await pay(key)
    again.assertStatus(422)
    assert.equal(again.body().code, 'insufficient_funds')
    assert.equal(again.header('idempotent-replayed'), 'true')
    assert.include(again.body().detail, 'first request with this Idempotency-Key was refused')
    assert.include(again.body().detail, '11.00 USD available now')
    assert.equal(await balanceOf(client, alice.access_token), 1_100)
    const fresh = await pay(randomUUID())
    fresh.assertStatus(201)
    assert.equal(await balanceOf(client, bob.access_token), 500)
  })

  test('a statement from {$self} is refused, never moved to another instant')
    .with([
      '2024-02-30T00:00:00Z',
      '2023-02-29',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-06-30T23:59:60Z',
      '2026-01-01T00:00:00+24:00',
      '0000-12-31T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '+002026-01-01T00:00:00Z',
      '2026-01-01T00:00:00',
    ])
    .run(async ({ client, assert }, from) => {
      const person = await fundedUser(client, 100)
      const response = await client
        .get('/api/v1/wallets/USD/statement')
        .qs({ from })
        .bearerToken(person.access_token)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'from')
    })

  test('statements take every instant from year 0001, as the contract says', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 100)
    for (const [from, read] of [
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['2026-01-01T10:30:00.123456+05:30', '2026-01-01T05:00:00.123Z'],
    ]) {
      const response = await client
        .get('/api/v1/wallets/USD/statement')
        .qs({ from })
        .bearerToken(person.access_token)
      response.assertStatus(200)
      assert.equal(response.body().from, read)
      assert.equal(response.body().closing_balance, 100)
    }
  })

  test('a staff reason is cut at 280 characters, not UTF-16 units: 400 emoji keep 279 and …', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 400 })
    const reversal = await client
      .post(`/api/v1/admin/transfers/${sent.body().id}/reversal`)
      .bearerToken(admin.access_token)
      .json({ reason: '😀'.repeat(400) })
    reversal.assertStatus(201)
    const shown: string = reversal.body().description
    assert.lengthOf([...shown], 280)
    assert.isTrue(shown.startsWith(`Reversal: ${'😀'.repeat(268)}`))
    assert.isTrue(shown.endsWith('😀…'))
    const row = await db.from('transfers').where('id', reversal.body().id).first()
    assert.equal(row.description, shown)
  })

  test('what Node refuses before a request exists is problem+json too: huge headers, not HTTP', async ({
    assert,
  }) => {
    const huge = await fetch(`${base}/api/v1/me`, { headers: { 'x-note': 'x'.repeat(20_000) } })
    assert.equal(huge.status, 431)
    assert.include(huge.headers.get('content-type'), 'application/problem+json')
    assert.equal(((await huge.json()) as { code: string }).code, 'headers_too_large')
    assert.equal(huge.headers.get('x-content-type-options'), 'nosniff')

    const url = new URL(base)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () =>
        socket.write('GARBAGE / HTTP/9.9\r\n\r\n')
      )
      let text = ''
      socket.on('data', (chunk) => (text += chunk))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    assert.match(answer, /^HTTP\/1\.1 400 /)
    assert.include(answer, 'application/problem+json')
    assert.include(answer, '"code":"invalid_request"')
  })
})
