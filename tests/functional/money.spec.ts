import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { refuseNewRows } from '#tests/support/database_faults'
import { balanceOf, fundedUser, signUp, staff } from '#tests/support/people'

test.group('Deposits and wallets', () => {
  test('a sandbox deposit lands in the USD wallet', async ({ client, assert }) => {
    const person = await signUp(client)
    const deposit = await client
      .post('/api/v1/deposits')
      .bearerToken(person.access_token)
      .json({ amount: 2_500 })
    deposit.assertStatus(201)
    assert.include(deposit.body(), {
      amount: 2_500,
      currency: 'USD',
      status: 'completed',
      kind: 'deposit',
    })
    assert.equal(await balanceOf(client, person.access_token), 2_500)
  })

  test('opening a wallet is idempotent; unsupported currencies are refused', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const first = await client
      .post('/api/v1/wallets')
      .bearerToken(person.access_token)
      .json({ currency: 'EUR' })
    const again = await client
      .post('/api/v1/wallets')
      .bearerToken(person.access_token)
      .json({ currency: 'eur' })
    first.assertStatus(200)
    assert.equal(again.body().id, first.body().id)
    const wallets = await client.get('/api/v1/wallets').bearerToken(person.access_token)
    assert.deepEqual(
      wallets.body().data.map((w: any) => w.currency),
      ['EUR', 'USD']
    )
    const bad = await client
      .post('/api/v1/wallets')
      .bearerToken(person.access_token)
      .json({ currency: 'XXX' })
    bad.assertStatus(422)
    assert.equal(bad.body().code, 'currency_not_supported')
  })
})

test.group('Transfers', () => {
  test('sends money by email: both balances change and both see it', async ({ client, assert }) => {
    const alice = await fundedUser(client, 10_000, 'Alice')
    const bob = await signUp(client, 'Bob')
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({
        receiver_email: ` ${bob.email.toUpperCase()} `,
        amount: 1_250,
        description: 'Dinner',
      })
    sent.assertStatus(201)
    assert.include(sent.body(), {
      status: 'completed',
      amount: 1_250,
      currency: 'USD',
      description: 'Dinner',
    })
    assert.deepEqual(sent.body().sender, { id: alice.user.id, full_name: 'Alice' })
    assert.deepEqual(sent.body().receiver, { id: bob.user.id, full_name: 'Bob' })
    assert.equal(await balanceOf(client, alice.access_token), 8_750)
    assert.equal(await balanceOf(client, bob.access_token), 1_250)
    const seen = await client
      .get(`/api/v1/transfers/${sent.body().id}`)
      .bearerToken(bob.access_token)
    seen.assertStatus(200)
  })

  test('a blank description is no description', async ({ client, assert }) => {
    const alice = await fundedUser(client, 100)
    const bob = await signUp(client)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 1, description: ' \u3000 ' })
    sent.assertStatus(201)
    assert.isNull(sent.body().description)
    const seen = await client
      .get(`/api/v1/transfers/${sent.body().id}`)
      .bearerToken(bob.access_token)
    assert.isNull(seen.body().description)
  })

  test('a description is counted in characters, as the contract counts it: an emoji is one', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const bob = await signUp(client)
    // 280 characters, 560 UTF-16 units.
    const description = '💸'.repeat(280)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 1, description })
    sent.assertStatus(201)
    const seen = await client
      .get(`/api/v1/transfers/${sent.body().id}`)
      .bearerToken(bob.access_token)
    assert.equal(seen.body().description, description)
    const over = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 1, description: `${description}x` })
    over.assertStatus(422)
    assert.equal(over.body().errors[0].field, 'description')
    assert.equal(await balanceOf(client, alice.access_token), 99)
  })

  test('a retry with the same Idempotency-Key replays; another body with it is refused', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 10_000)
    const bob = await signUp(client)
    const key = randomUUID()
    const body = { receiver_id: bob.user.id, amount: 700 }
    const first = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('Idempotency-Key', key)
      .json(body)
    const retry = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('Idempotency-Key', key)
      .json(body)
    first.assertStatus(201)
    retry.assertStatus(201)
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.equal(retry.body().id, first.body().id)
    const other = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('Idempotency-Key', key)
      .json({ ...body, amount: 701 })
    other.assertStatus(422)
    assert.equal(other.body().code, 'idempotency_key_reused')
    assert.equal(await balanceOf(client, alice.access_token), 9_300)
  })

  test('the same key sent many times at once pays once, and history shows it once', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 10_000)
    const bob = await signUp(client)
    const key = randomUUID()
    // A double-click, or a client that retries before the first answer.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        client
          .post('/api/v1/transfers')
          .bearerToken(alice.access_token)
          .header('Idempotency-Key', key)
          .json({ receiver_id: bob.user.id, amount: 700 })
      )
    )
    const paid = answers.filter((a) => a.status() === 201)
    const fresh = paid.filter((a) => a.header('idempotent-replayed') !== 'true')
    assert.lengthOf(fresh, 1)
    for (const answer of answers) {
      // Still being worked on: the contract's answer is 409, and a retry is safe.
      if (answer.status() !== 201) assert.equal(answer.body().code, 'idempotency_key_in_use')
      else assert.equal(answer.body().id, fresh[0]!.body().id)
    }
    assert.equal(await balanceOf(client, alice.access_token), 9_300)
    assert.equal(await balanceOf(client, bob.access_token), 700)
    for (const person of [alice, bob]) {
      const history = await client.get('/api/v1/transfers').bearerToken(person.access_token)
      const payments = history.body().data.filter((t: { kind: string }) => t.kind === 'p2p')
      assert.deepEqual(
        payments.map((t: { id: string }) => t.id),
        [fresh[0]!.body().id]
      )
    }
  })

  test('keys are per user: the same key from two people makes two transfers', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const carol = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const key = randomUUID()
    const a = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('Idempotency-Key', key)
      .json({ receiver_id: bob.user.id, amount: 100 })
    const c = await client
      .post('/api/v1/transfers')
      .bearerToken(carol.access_token)
      .header('Idempotency-Key', key)
      .json({ receiver_id: bob.user.id, amount: 100 })
    assert.notEqual(a.body().id, c.body().id)
    assert.equal(await balanceOf(client, bob.access_token), 200)
  })

  test('amount {$self} is refused and moves nothing')
    .with([
      '0',
      '-5',
      '-0',
      '10.5',
      '1.0',
      '1e3',
      '"100"',
      'true',
      'null',
      '[100]',
      '9007199254740993',
      '100000001',
    ])
    .run(async ({ client, assert }, amount) => {
      const alice = await fundedUser(client, 1_000)
      const bob = await signUp(client)
      const response = await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .unsafeJson(`{"receiver_id":"${bob.user.id}","amount":${amount}}`)
      response.assertStatus(422)
      assert.equal(response.body().code, 'validation_failed')
      assert.equal(response.body().errors[0].field, 'amount')
      // A number that is not an integer of minor units is told so, not that it is no number.
      if (!/^-?\d+$/.test(amount) && amount !== 'null')
        assert.include(response.body().errors[0].message, 'integer in minor units')
      assert.equal(await balanceOf(client, alice.access_token), 1_000)
    })

  test('business refusals: self, unknown receiver, insufficient funds, frozen', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 500)
    const bob = await signUp(client)
    const send = (body: Record<string, unknown>) =>
      client.post('/api/v1/transfers').bearerToken(alice.access_token).json(body)
    const self = await send({ receiver_id: alice.user.id, amount: 1 })
    self.assertStatus(422)
    assert.equal(self.body().code, 'self_transfer')
    const nobody = await send({ receiver_email: `${randomUUID()}@example.com`, amount: 1 })
    nobody.assertStatus(404)
    assert.equal(nobody.body().code, 'receiver_not_found')
    const tooMuch = await send({ receiver_id: bob.user.id, amount: 501 })
    tooMuch.assertStatus(422)
    assert.equal(tooMuch.body().code, 'insufficient_funds')
    const exotic = await send({ receiver_id: bob.user.id, amount: 1, currency: 'XAU' })
    exotic.assertStatus(422)
    assert.equal(exotic.body().code, 'currency_not_supported')
    const noWallet = await send({ receiver_id: bob.user.id, amount: 1, currency: 'EUR' })
    noWallet.assertStatus(404)
    assert.equal(noWallet.body().code, 'wallet_not_found')
    const wallets = await client.get('/api/v1/wallets').bearerToken(alice.access_token)
    assert.deepEqual(
      wallets.body().data.map((w: any) => w.currency),
      ['USD']
    )
    // Frozen the way support freezes (ledger accounts first), after bob was looked up above:
    // a receiver the API remembers as active is still refused.
    const support = await staff(client, 'support')
    await client
      .post(`/api/v1/admin/users/${bob.user.id}/freeze`)
      .bearerToken(support.access_token)
      .json({ reason: 'Testing refusals' })
      .then((r) => r.assertStatus(200))
    const frozen = await send({ receiver_id: bob.user.id, amount: 1 })
    frozen.assertStatus(403)
    assert.equal(frozen.body().code, 'account_frozen')
    const neither = await send({ amount: 1 })
    neither.assertStatus(422)
    assert.equal(await balanceOf(client, alice.access_token), 500)
  })

  test('history: newest first, by direction, each transfer once across pages', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 10_000)
    const bob = await fundedUser(client, 10_000)
    const made: string[] = []
    for (let i = 0; i < 5; i++) {
      const [from, to] = i % 2 ? [bob, alice] : [alice, bob]
      const t = await client
        .post('/api/v1/transfers')
        .bearerToken(from.access_token)
        .json({ receiver_id: to.user.id, amount: 10 + i })
      made.push(t.body().id)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: any = await client
        .get('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .qs({ limit: 2, ...(cursor ? { cursor } : {}) })
      page.assertStatus(200)
      seen.push(...page.body().data.map((t: any) => t.id))
      cursor = page.body().next_cursor
    } while (cursor)
    // Alice's deposit comes first in time, so last in the list.
    assert.deepEqual(seen.slice(0, 5), [...made].reverse())
    assert.lengthOf(new Set(seen), 6)
    const sent = await client
      .get('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .qs({ direction: 'sent' })
    assert.deepEqual(
      sent.body().data.map((t: any) => t.id),
      [made[4], made[2], made[0]]
    )
    const received: string[] = []
    cursor = null
    do {
      const page: any = await client
        .get('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .qs({ direction: 'received', limit: 1, ...(cursor ? { cursor } : {}) })
      received.push(...page.body().data.map((t: any) => t.id))
      cursor = page.body().next_cursor
    } while (cursor)
    assert.deepEqual(received, [made[3], made[1], seen[5]])
    // A cursor the API did not write is refused, not sent to PostgreSQL to fail as a 500.
    for (const forged of ['2026-01-01T00:00:00Z|not-a-uuid', `99999-01-01|${made[0]}`, 'x']) {
      const page = await client
        .get('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .qs({ cursor: Buffer.from(forged).toString('base64url') })
      page.assertStatus(422)
      assert.equal(page.body().errors[0].field, 'cursor')
    }
  })

  test('BOLA: nobody reads a transfer they are not part of', async ({ client, assert }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const eve = await signUp(client)
    const t = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 5 })
    const peek = await client.get(`/api/v1/transfers/${t.body().id}`).bearerToken(eve.access_token)
    peek.assertStatus(404)
    assert.equal(peek.body().code, 'not_found')
    const missing = await client
      .get(`/api/v1/transfers/${randomUUID()}`)
      .bearerToken(eve.access_token)
    assert.deepEqual(missing.body().detail, peek.body().detail)
    const dashes = await client
      .get(`/api/v1/transfers/${'-'.repeat(36)}`)
      .bearerToken(eve.access_token)
    dashes.assertStatus(404)
    const list = await client.get('/api/v1/transfers').bearerToken(eve.access_token)
    assert.lengthOf(list.body().data, 0)
  })
})

test.group('Errors and headers', () => {
  test('unknown routes, malformed JSON, __proto__, repeated keys and deep nesting are problem+json', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const notFound = await client.get('/api/v1/nothing')
    notFound.assertStatus(404)
    assert.equal(notFound.body().code, 'not_found')
    assert.equal(notFound.header('x-request-id'), notFound.body().request_id)
    assert.equal(notFound.header('x-content-type-options'), 'nosniff')
    assert.equal(notFound.header('x-frame-options'), 'DENY')
    // A path that exists, with a method it does not take: 405 says which it takes.
    for (const [method, path, allow] of [
      ['put', '/api/v1/transfers', 'GET, HEAD, POST'],
      ['delete', `/api/v1/transfers/${randomUUID()}`, 'GET, HEAD'],
      ['patch', '/api/v1/admin/users/x', 'GET, HEAD'],
    ] as const) {
      const wrong = await client[method](path).bearerToken(alice.access_token).json({ amount: 1 })
      wrong.assertStatus(405)
      assert.equal(wrong.header('allow'), allow)
      assert.equal(wrong.body().code, 'method_not_allowed')
      assert.match(wrong.header('content-type') ?? '', /^application\/problem\+json/)
    }
    const bad = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .unsafeJson('{"amount":')
    bad.assertStatus(400)
    assert.equal(bad.body().code, 'invalid_json')
    const proto = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .unsafeJson('{"amount":1,"__proto__":{"role":"admin"}}')
    proto.assertStatus(400)
    // A key written twice: JSON.parse alone keeps the last, a proxy or a log may read the first.
    const twice = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .unsafeJson(`{"receiver_id":"${alice.user.id}","amount":1,"amount":90}`)
    twice.assertStatus(400)
    assert.equal(twice.body().code, 'invalid_json')
    // Valid JSON, but deeper than any request: refused before it is parsed.
    const deep = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .unsafeJson(
        `{"receiver_id":"${alice.user.id}","amount":1,"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`
      )
    deep.assertStatus(400)
    assert.equal(deep.body().code, 'invalid_json')
    assert.include(deep.body().detail, 'deeper than 32 levels')
    // 16 KiB is the most any body may be; a bigger one is refused before it is parsed.
    const big = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: alice.user.id, amount: 1, description: 'x'.repeat(17_000) })
    big.assertStatus(413)
    assert.equal(big.body().code, 'payload_too_large')
    assert.equal(await balanceOf(client, alice.access_token), 100)
  })

  test('a body that is not UTF-8 is refused, not stored with replacement characters', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const bob = await signUp(client)
    // Raw bytes: the api client would serialize a Buffer as JSON.
    const send = (body: Buffer, contentType = 'application/json') =>
      fetch(`http://${process.env.HOST}:${process.env.PORT}/api/v1/transfers`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'authorization': `Bearer ${alice.access_token}` },
        body,
      })
    const prefix = `{"receiver_id":"${bob.user.id}","amount":1,"description":"caf`
    // "café" as Latin-1, whose é (e9) is no UTF-8, whatever charset is declared.
    const latin1 = await send(
      Buffer.concat([Buffer.from(prefix), Buffer.from([0xe9]), Buffer.from('"}')]),
      'application/json; charset=iso-8859-1'
    )
    assert.equal(latin1.status, 400)
    assert.equal(latin1.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    assert.equal(((await latin1.json()) as { code: string }).code, 'invalid_json')
    assert.equal(await balanceOf(client, alice.access_token), 100)
    // The same text in UTF-8 is taken as written, after a byte order mark too (RFC 8259 §8.1).
    for (const bom of ['', '\ufeff']) {
      const utf8 = await send(Buffer.from(`${bom}${prefix}é"}`))
      assert.equal(utf8.status, 201)
      assert.equal(((await utf8.json()) as { description: string }).description, 'café')
    }
  })

  test('a request id from the client is kept only when it is a plain token', async ({
    client,
    assert,
  }) => {
    const kept = await client.get('/api/v1/nothing').header('x-request-id', 'partner-7f3a.42:b_1')
    assert.equal(kept.header('x-request-id'), 'partner-7f3a.42:b_1')
    assert.equal(kept.body().request_id, 'partner-7f3a.42:b_1')
    // What lands in every log line of the request: no floods, no forged fields.
    for (const hostile of [
      'A'.repeat(129),
      'id with spaces',
      '"><script>',
      'a,b',
      '{"level":60}',
    ]) {
      const answer = await client.get('/api/v1/nothing').header('x-request-id', hostile)
      const id = answer.header('x-request-id')!
      assert.notEqual(id, hostile)
      assert.match(id, /^[\w.:-]{1,128}$/)
      assert.equal(answer.body().request_id, id)
    }
  })

  test('a body that is not JSON, or in an unknown encoding, is refused with 415 and changes nothing', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const bob = await fundedUser(client, 0)
    const form = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .unsafeForm(`receiver_id=${bob.user.id}&amount=5`)
    const text = await client
      .post('/api/v1/auth/login')
      .unsafeJson(JSON.stringify({ email: 'a@example.com', password: 'some password' }))
      .type('text/plain')
    const encoded = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('content-encoding', 'compress')
      .json({ receiver_id: bob.user.id, amount: 5 })
    for (const answer of [form, text, encoded]) {
      assert.equal(answer.status(), 415)
      assert.equal(answer.body().code, 'unsupported_media_type')
    }
    assert.include(encoded.body().detail, 'Content-Encoding is not supported')
    assert.equal(await balanceOf(client, alice.access_token), 100)
    // No body at all is not a media type question: the fields are missing.
    const empty = await client.post('/api/v1/auth/logout').bearerToken(alice.access_token)
    assert.equal(empty.status(), 422)
  })

  test('text PostgreSQL cannot store is refused before it reaches a query', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const bob = await fundedUser(client, 0)
    const support = await staff(client, 'support')
    for (const [route, body] of [
      [
        '/api/v1/transfers',
        `{"receiver_id":"${bob.user.id}","amount":5,"description":"a\\u0000b"}`,
      ],
      ['/api/v1/transfers', `{"receiver_id":"${bob.user.id}","amount":5,"description":"a\\ud800"}`],
      ['/api/v1/transfers', `{"receiver_email":"bob\\u0000@example.com","amount":5}`],
      ['/api/v1/auth/login', `{"email":"a\\u0000@example.com","password":"some password"}`],
      [
        '/api/v1/auth/register',
        `{"email":"eve@example.com","password":"some password","full_name":"Eve\\udc00"}`,
      ],
    ]) {
      const answer = await client.post(route!).bearerToken(alice.access_token).unsafeJson(body!)
      assert.equal(answer.status(), 400, body)
      assert.equal(answer.body().code, 'invalid_json')
    }
    for (const query of ['q=a%00b', 'q=%00', 'cursor=%00']) {
      const answer = await client
        .get(`/api/v1/admin/users?${query}`)
        .bearerToken(support.access_token)
      assert.equal(answer.status(), 422, query)
      assert.equal(answer.body().code, 'validation_failed')
    }
    assert.equal(await balanceOf(client, alice.access_token), 100)
  })

  test('names and descriptions others are shown refuse control characters and bidi overrides', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const bob = await fundedUser(client, 0)
    for (const name of ['Eve\u202Egnp.exe', 'Eve\nSupport', 'Eve\u0007', 'Eve\u2066x']) {
      const answer = await client.post('/api/v1/auth/register').json({
        email: `${randomUUID()}@example.com`,
        password: 'some password',
        full_name: name,
      })
      assert.equal(answer.status(), 422, JSON.stringify(name))
      assert.equal(answer.body().errors[0].field, 'full_name')
    }
    const refused = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 5, description: 'rent\u202E' })
    assert.equal(refused.status(), 422)
    assert.equal(refused.body().errors[0].field, 'description')
    assert.equal(await balanceOf(client, alice.access_token), 100)
    // Joiners stay: scripts and emoji need them.
    const zoe = await client.post('/api/v1/auth/register').json({
      email: `${randomUUID()}@example.com`,
      password: 'some password',
      full_name: 'Zoë 👩\u200D💻 میرزا\u200Cیی',
    })
    zoe.assertStatus(201)
    const paid = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 5, description: 'Lunch 🍜, thanks!' })
    paid.assertStatus(201)
  })

  test('a JSON body that is not an object is refused as invalid_json on every route', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100)
    const routes = [
      '/api/v1/transfers',
      '/api/v1/deposits',
      '/api/v1/auth/login',
      '/api/v1/wallets',
    ]
    for (const body of ['null', 'true', '1', '"alice"', '[]', '[{"amount":1}]']) {
      for (const route of routes) {
        const answer = await client.post(route).bearerToken(alice.access_token).unsafeJson(body)
        assert.equal(answer.status(), 400, `${body} to ${route}`)
        assert.equal(answer.body().code, 'invalid_json')
        assert.equal(answer.body().detail, 'The body must be a JSON object')
      }
    }
    assert.equal(await balanceOf(client, alice.access_token), 100)
  })
})

test.group('History reconciliation', () => {
  test('a history row lost between ledger commit and indexing is restored from the ledger', async ({
    client,
    assert,
  }) => {
    const { default: app } = await import('@adonisjs/core/services/app')
    const { HistoryReconciler } = await import('#history/history_reconciler')
    const { default: User } = await import('#models/user')
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 40 })
    // What a crash right after the ledger's commit would leave behind.
    await db.from('transfers').where('id', sent.body().id).delete()
    const reconciler = await app.container.make(HistoryReconciler)
    assert.equal(await reconciler.reconcileUser((await User.find(alice.user.id))!), 1)
    const row = await db.from('transfers').where('id', sent.body().id).first()
    assert.include(row, { kind: 'p2p', sender_id: alice.user.id, receiver_id: bob.user.id })
    assert.equal(await reconciler.reconcileUser((await User.find(alice.user.id))!), 0)
  })

  test('a payment made whose history row cannot be written is still a 201, and is followed up', async ({
    client,
    assert,
  }) => {
    const { FollowUp } = await import('#history/follow_up')
    const alice = await fundedUser(client, 10_000)
    const bob = await signUp(client)
    // A fault in the app's database, after ledger-core made the payment.
    const repair = await refuseNewRows('transfers', 'amount <> 4242')
    let sent
    try {
      sent = await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount: 4_242 })
    } finally {
      await repair()
    }
    // The money moved, so the answer says so: an error would make a client
    // without a key pay again.
    sent.assertStatus(201)
    assert.equal(await balanceOf(client, alice.access_token), 10_000 - 4_242)
    assert.isNull(await db.from('transfers').where('id', sent.body().id).first())
    const noted = await db.from('unsettled_payments').where('user_id', alice.user.id)
    assert.lengthOf(noted, 1)
    assert.lengthOf(await db.from('events').where('subject_id', sent.body().id), 0)
    assert.equal(await new FollowUp(0).run(), 1)
    const row = await db.from('transfers').where('id', sent.body().id).first()
    assert.include(row, { kind: 'p2p', sender_id: alice.user.id, amount: '4242' })
    assert.lengthOf(await db.from('unsettled_payments').where('user_id', alice.user.id), 0)
    // Its events came back with it, one per person, and a second repair writes none again.
    const events = async () =>
      (await db.from('events').where('subject_id', sent.body().id)).map((e) => e.user_id)
    assert.sameMembers(await events(), [alice.user.id, bob.user.id])
    const { HistoryReconciler } = await import('#history/history_reconciler')
    const { default: User } = await import('#models/user')
    await new HistoryReconciler().reconcileUser((await User.find(alice.user.id))!)
    assert.lengthOf(await events(), 2)
  })

  test('when its follow-up note cannot be written either, it waits in memory for the database', async ({
    client,
    assert,
  }) => {
    const { FollowUp } = await import('#history/follow_up')
    const alice = await fundedUser(client, 10_000)
    const bob = await signUp(client)
    // The database refuses both the history row and the note, as a stalled one would.
    const repairs = [
      await refuseNewRows('transfers', 'amount <> 4343'),
      await refuseNewRows('unsettled_payments', `user_id <> '${alice.user.id}'`),
    ]
    let sent
    try {
      sent = await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount: 4_343 })
      sent.assertStatus(201)
      assert.lengthOf(await db.from('unsettled_payments').where('user_id', alice.user.id), 0)
      // A pass while the database still refuses keeps the note.
      assert.equal(await new FollowUp(0).run(), 0)
    } finally {
      for (const repair of repairs) await repair()
    }
    assert.isNull(await db.from('transfers').where('id', sent.body().id).first())
    // The database answers again: the next pass writes the note and restores the row.
    assert.equal(await new FollowUp(0).run(), 1)
    const row = await db.from('transfers').where('id', sent.body().id).first()
    assert.include(row, { kind: 'p2p', sender_id: alice.user.id, amount: '4343' })
    assert.lengthOf(await db.from('unsettled_payments').where('user_id', alice.user.id), 0)
  })
})

test.group('CORS', () => {
  test('only origins in CORS_ORIGINS may call the API from a browser', async ({
    client,
    assert,
  }) => {
    const preflight = (origin: string) =>
      client
        .options('/api/v1/transfers')
        .header('origin', origin)
        .header('access-control-request-method', 'POST')
        .header('access-control-request-headers', 'authorization, content-type, idempotency-key')
    const allowed = await preflight('https://wallet.purse.test')
    assert.equal(allowed.header('access-control-allow-origin'), 'https://wallet.purse.test')
    const foreign = await preflight('https://evil.example')
    assert.isUndefined(foreign.header('access-control-allow-origin'))
  })
})
