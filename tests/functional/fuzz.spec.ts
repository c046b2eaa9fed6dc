import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import fc from 'fast-check'
import {
  ContractChecker,
  hostileCursor,
  hostileHeaderValue,
  hostileInstant,
  hostilePathSegment,
  hostileText as text,
  hostileValues,
} from '@purse/ledger-core/testing'
import { balanceOf, fundedUser, password, staff } from '#tests/support/people'

/**
 * Hostile input, generated: whatever a caller sends, the answer is a
 * success or a 4xx problem (never a 5xx), every answer is one the contract
 * allows (the contract check on every response, tests/bootstrap.ts), and
 * only a success moves money.
 */

function assertAnswered(assert: Assert, response: ApiResponse) {
  assert.isBelow(response.status(), 500, `${response.status()} ${response.text()}`)
  if (response.status() >= 400) {
    assert.include(response.header('content-type'), 'application/problem+json')
  }
}

test.group('Hostile input, generated', () => {
  test('POST /transfers: any body and key get 201 or a 4xx, and only a 201 moves money', async ({
    client,
    assert,
  }) => {
    const start = 1_000_000
    const receiver = await fundedUser(client, 0, 'Fuzz Receiver')
    // The per-user money limit allows 60 a minute: the runs are spread over senders.
    const senders = await Promise.all([1, 2, 3, 4].map(() => fundedUser(client, start)))
    const field = fc.constantFrom(
      'receiver_id',
      'receiver_email',
      'amount',
      'currency',
      'description',
      'sender_id',
      'role',
      '__proto__'
    )
    const value = hostileValues(
      receiver.user.id,
      // Oneself, nobody, more than anyone holds, other currencies.
      senders[0]!.user.id,
      '00000000-0000-4000-8000-000000000000',
      'nobody@example.com',
      start + 1,
      'USD',
      'usd',
      'EUR'
    )
    // A valid payment, then some of its fields replaced, removed or joined by others.
    const body = fc
      .tuple(
        fc.constantFrom(
          { receiver_id: receiver.user.id },
          { receiver_email: receiver.email },
          { receiver_email: ` ${receiver.email.toUpperCase()} ` }
        ),
        fc.integer({ min: 1, max: 5_000 }),
        fc.oneof(fc.constant({}), fc.dictionary(field, value, { noNullPrototype: true })),
        fc.subarray(['receiver_id', 'receiver_email', 'amount'], { maxLength: 1 })
      )
      .map(([to, amount, changes, dropped]) => {
        const payment: Record<string, unknown> = { ...to, amount, ...changes }
        for (const name of dropped) delete payment[name]
        return payment
      })
    const key = fc.option(fc.oneof(fc.constantFrom('k1', 'k2'), fc.string({ maxLength: 300 })))
    // Each person's change, by the ids a 201 names: a hostile receiver_id
    // can be senders[0], so one sender may pay another.
    const change = new Map<string, number>()
    const add = (id: string, amount: number) => change.set(id, (change.get(id) ?? 0) + amount)
    let run = 0
    await fc.assert(
      fc.asyncProperty(body, key, async (input, idempotencyKey) => {
        const sender = senders[run++ % senders.length]!
        let request = client.post('/api/v1/transfers').bearerToken(sender.access_token).json(input)
        if (idempotencyKey !== null) request = request.header('idempotency-key', idempotencyKey)
        const response = await request
        assertAnswered(assert, response)
        if (response.status() === 201 && response.header('idempotent-replayed') !== 'true') {
          const { amount, sender: from, receiver: to } = response.body()
          assert.isTrue(Number.isSafeInteger(amount) && amount > 0)
          assert.equal(from.id, sender.user.id)
          add(from.id, -amount)
          add(to.id, amount)
        }
      }),
      {
        numRuns: 200,
        // Run every time: the first example only moves the rotation on, so the
        // second run's sender is senders[1], who pays senders[0].
        examples: [
          [{ receiver_id: receiver.user.id, amount: 7 }, null],
          [{ receiver_id: senders[0]!.user.id, amount: 13 }, null],
        ],
      }
    )
    const ids = [receiver, ...senders].map((person) => person.user.id)
    for (const id of change.keys()) assert.oneOf(id, ids)
    assert.equal(await balanceOf(client, receiver.access_token), change.get(receiver.user.id) ?? 0)
    for (const person of senders) {
      const expected = start + (change.get(person.user.id) ?? 0)
      assert.equal(await balanceOf(client, person.access_token), expected)
    }
    const admin = await staff(client, 'admin')
    const invariants = await client
      .get('/api/v1/admin/ledger/invariants')
      .bearerToken(admin.access_token)
    assert.isTrue(invariants.body().ok)
  })

  /**
   * Values a validator may pass that PostgreSQL or the contract cannot take:
   * past a bigint, a cursor around a bad id, years RFC 3339 cannot write.
   */
  const past_the_database = [
    '1e300',
    '9223372036854775808',
    Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url'),
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
  ]

  test('list, statement and admin routes: any query string gets 200 or a 4xx', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 500)
    const admin = await staff(client, 'admin')
    const routes: [string, string[], string][] = [
      ['/api/v1/transfers', ['direction', 'limit', 'cursor'], person.access_token],
      ['/api/v1/wallets/USD/statement', ['from', 'to'], person.access_token],
      ['/api/v1/admin/users', ['q', 'limit', 'cursor'], admin.access_token],
      [
        '/api/v1/admin/transfers',
        [
          'user_id',
          'kind',
          'status',
          'currency',
          'from',
          'to',
          'min_amount',
          'max_amount',
          'limit',
          'cursor',
        ],
        admin.access_token,
      ],
      [
        '/api/v1/admin/audit-log',
        ['actor_id', 'target_id', 'action', 'target_type', 'from', 'to', 'limit', 'cursor'],
        admin.access_token,
      ],
      ['/api/v1/admin/overview', ['since'], admin.access_token],
    ]
    const nearMiss = fc.constantFrom(
      person.user.id,
      'sent',
      'all',
      '0',
      '-1',
      '1e3',
      '101',
      '2026-13-40',
      '2026-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      'USD',
      'completed',
      'p2p',
      'eyJ0IjoiMjAyNi0wMS0wMSIsImlkIjoieCJ9',
      ...past_the_database
    )
    for (const [path, names, token] of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(...names),
            fc.oneof(nearMiss, text, fc.array(text, { maxLength: 2 })),
            {
              noNullPrototype: true,
            }
          ),
          async (query) => {
            const response = await client.get(path).qs(query).bearerToken(token)
            assertAnswered(assert, response)
          }
        ),
        // Each of these alone in each parameter, every run: mixed with others,
        // most queries are refused for another field before they reach a query.
        {
          numRuns: 60,
          examples: names.flatMap((name) =>
            past_the_database.map((value): [Record<string, string>] => [{ [name]: value }])
          ),
        }
      )
    }
  })

  test('routes with an id or a currency in the path: any segment gets an answer, never a 5xx', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 500)
    const admin = await staff(client, 'admin')
    await fc.assert(
      // An empty segment is another route (`/transfers/` is the list).
      fc.asyncProperty(text.filter(Boolean), async (segment) => {
        const encoded = encodeURIComponent(segment)
        for (const [path, token] of [
          [`/api/v1/transfers/${encoded}`, person.access_token],
          [`/api/v1/wallets/${encoded}/statement`, person.access_token],
          [`/api/v1/admin/users/${encoded}`, admin.access_token],
          [`/api/v1/admin/transfers/${encoded}`, admin.access_token],
          [`/api/v1/admin/wallets/${encoded}/statement`, admin.access_token],
        ] as const) {
          assertAnswered(assert, await client.get(path).bearerToken(token))
        }
      }),
      { numRuns: 60 }
    )
  })

  test('every other POST route: any body gets a success or a 4xx, and the books stay balanced', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 10_000)
    const leaving = await fundedUser(client, 0)
    const target = await fundedUser(client, 1_000)
    const admin = await staff(client, 'admin')
    const wallet = (await client.get('/api/v1/wallet').bearerToken(target.access_token)).body()
    const payment = await client
      .post('/api/v1/transfers')
      .bearerToken(person.access_token)
      .json({ receiver_id: target.user.id, amount: 10 })
    payment.assertStatus(201)
    const routes: [string, string[], string | undefined][] = [
      ['/api/v1/auth/register', ['email', 'password', 'full_name', 'phone'], undefined],
      ['/api/v1/auth/login', ['email', 'password'], undefined],
      ['/api/v1/auth/refresh', ['refresh_token'], undefined],
      ['/api/v1/auth/logout', ['refresh_token'], leaving.access_token],
      ['/api/v1/wallets', ['currency'], person.access_token],
      ['/api/v1/deposits', ['amount', 'currency'], person.access_token],
      [`/api/v1/admin/users/${target.user.id}/freeze`, ['reason'], admin.access_token],
      [`/api/v1/admin/users/${target.user.id}/unfreeze`, ['reason'], admin.access_token],
      [`/api/v1/admin/wallets/${wallet.id}/adjustments`, ['amount', 'reason'], admin.access_token],
      [`/api/v1/admin/transfers/${payment.body().id}/reversal`, ['reason'], admin.access_token],
    ]
    const value = hostileValues(
      target.email,
      person.email,
      password,
      leaving.refresh_token,
      'A reason long enough',
      'EUR',
      -5,
      5
    )
    for (const [path, fields, token] of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...fields, 'role', '__proto__'), value, {
            noNullPrototype: true,
          }),
          async (body) => {
            const request = client.post(path).json(body)
            assertAnswered(assert, await (token ? request.bearerToken(token) : request))
          }
        ),
        // Sign-up hashes a password for every valid body.
        { numRuns: 25 }
      )
    }
    const invariants = await client
      .get('/api/v1/admin/ledger/invariants')
      .bearerToken(admin.access_token)
    assert.isTrue(invariants.body().ok)
  })

  test('path segments as sent on the wire, bad escapes included: an answer, never a 5xx', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 500)
    const admin = await staff(client, 'admin')
    const checker = await ContractChecker.load(
      new URL('../../openapi/public.yaml', import.meta.url)
    )
    const base = `http://${process.env.HOST}:${process.env.PORT}`
    // fetch sends a path as written; the API client would encode it again.
    const get = async (path: string, token: string) => {
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      const type = response.headers.get('content-type')
      const body = type?.includes('json') ? await response.json() : await response.text()
      checker.check('GET', new URL(`${base}${path}`).pathname, response.status, type, body)
      assert.isBelow(response.status, 500, `${path}: ${response.status} ${JSON.stringify(body)}`)
      if (response.status >= 400) assert.include(type, 'application/problem+json', path)
    }
    await fc.assert(
      fc.asyncProperty(hostilePathSegment, async (segment) => {
        await get(`/api/v1/transfers/${segment}`, person.access_token)
        await get(`/api/v1/wallets/${segment}/statement`, person.access_token)
        await get(`/api/v1/admin/users/${segment}`, admin.access_token)
        await get(`/api/v1/admin/transfers/${segment}`, admin.access_token)
        await get(`/api/v1/admin/wallets/${segment}/statement`, admin.access_token)
      }),
      { numRuns: 80 }
    )
  })

  test("the API's own cursors, mutated field by field: a page or a 4xx, never a 5xx", async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await fundedUser(client, 1_000)
    const admin = await staff(client, 'admin')
    for (const amount of [1, 2]) {
      await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount })
    }
    for (const [path, token] of [
      ['/api/v1/transfers', alice.access_token],
      ['/api/v1/admin/users', admin.access_token],
      ['/api/v1/admin/transfers', admin.access_token],
      ['/api/v1/admin/audit-log', admin.access_token],
    ] as const) {
      if (path.endsWith('audit-log')) {
        // Two audit rows to page through.
        for (const action of ['freeze', 'unfreeze'])
          await client
            .post(`/api/v1/admin/users/${bob.user.id}/${action}`)
            .bearerToken(admin.access_token)
            .json({ reason: 'Paging the audit log' })
      }
      const first = await client.get(path).qs({ limit: 1 }).bearerToken(token)
      const cursor = first.body().next_cursor as string
      assert.isString(cursor, path)
      await fc.assert(
        fc.asyncProperty(hostileCursor(cursor), async (mutated) => {
          const response = await client
            .get(path)
            .qs({ limit: 1, cursor: mutated })
            .bearerToken(token)
          assertAnswered(assert, response)
        }),
        { numRuns: 60 }
      )
    }
  })

  test('every date-time parameter, given any instant text: 200 or a 4xx, never a 5xx', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 500)
    const admin = await staff(client, 'admin')
    const routes: [string, string[], string][] = [
      ['/api/v1/wallets/USD/statement', ['from', 'to'], person.access_token],
      ['/api/v1/admin/transfers', ['from', 'to'], admin.access_token],
      ['/api/v1/admin/audit-log', ['from', 'to'], admin.access_token],
      ['/api/v1/admin/overview', ['since'], admin.access_token],
    ]
    for (const [path, names, token] of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...names), hostileInstant, { noNullPrototype: true }),
          async (query) =>
            assertAnswered(assert, await client.get(path).qs(query).bearerToken(token))
        ),
        { numRuns: 60 }
      )
    }
  })

  test('every header the API reads, given any value: an answer, never a 5xx, and money moves once', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100_000)
    const bob = await fundedUser(client, 0)
    const headers = fc.dictionary(
      fc.constantFrom('idempotency-key', 'content-encoding', 'accept', 'x-request-id'),
      hostileHeaderValue,
      { noNullPrototype: true }
    )
    let paid = 0
    await fc.assert(
      fc.asyncProperty(headers, async (sent) => {
        let request = client
          .post('/api/v1/transfers')
          .bearerToken(alice.access_token)
          .json({ receiver_id: bob.user.id, amount: 1 })
        for (const [name, value] of Object.entries(sent)) request = request.header(name, value)
        const response = await request
        assertAnswered(assert, response)
        if (response.status() === 201 && response.header('idempotent-replayed') !== 'true') paid++
        let statement = client.get('/api/v1/wallets/USD/statement').bearerToken(alice.access_token)
        for (const [name, value] of Object.entries(sent)) statement = statement.header(name, value)
        assertAnswered(assert, await statement)
      }),
      // The per-user money limit allows 60 a minute.
      { numRuns: 50 }
    )
    assert.equal(await balanceOf(client, bob.access_token), paid)
  })
})
