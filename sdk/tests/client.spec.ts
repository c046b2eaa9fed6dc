import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { PurseApiError, createPurseClient, memoryTokenStore } from '../src/index.ts'
import { apiUrl, lockLedgerAccount, startProxy } from './support.ts'

const password = 'correct horse battery'

async function person(baseUrl = apiUrl(), funds = 0) {
  const client = createPurseClient({ baseUrl })
  const session = await client.auth.register({
    email: `${randomUUID()}@example.com`,
    password,
    full_name: 'SDK Person',
  })
  if (funds) await client.deposits.create({ amount: funds })
  return { client, session }
}

test.group('Client: auth and money', () => {
  test('register, login, me, wallets', async ({ assert }) => {
    const { session } = await person()
    const client = createPurseClient({ baseUrl: apiUrl() })
    const login = await client.auth.login({ email: session.user.email, password })
    assert.equal(login.user.id, session.user.id)
    assert.equal((await client.me()).id, session.user.id)
    assert.deepEqual(
      (await client.wallets.list()).map((w) => w.currency),
      ['USD']
    )
    assert.equal((await client.wallets.open('EUR')).currency, 'EUR')
    const before = await client.tokens.get()
    assert.isTrue(await client.auth.refresh())
    assert.notEqual((await client.tokens.get())!.refresh_token, before!.refresh_token)
    await client.auth.logout()
    assert.isNull(await client.tokens.get())
  })

  test('send money; refusals are PurseApiError with the code from the contract', async ({
    assert,
  }) => {
    const alice = await person(apiUrl(), 1_000)
    const bob = await person()
    const beforeThePayment = new Date().toISOString()
    const sent = await alice.client.transfers.create({
      receiver_id: bob.session.user.id,
      amount: 250,
    })
    assert.include(sent, { amount: 250, status: 'completed' })
    assert.equal((await bob.client.wallets.usd()).balance, 250)
    assert.equal((await bob.client.transfers.get(sent.id)).id, sent.id)
    const statement = await bob.client.wallets.statement('USD')
    assert.deepEqual(
      statement.data.map((line) => [line.direction, line.amount, line.balance_after]),
      [['credit', 250, 250]]
    )
    assert.deepEqual([statement.opening_balance, statement.closing_balance], [0, 250])
    // Periods without entries still say what the wallet held.
    const since = await bob.client.wallets.statement('USD', { from: new Date().toISOString() })
    assert.deepEqual(
      [since.opening_balance, since.data.length, since.closing_balance],
      [250, 0, 250]
    )
    const until = await bob.client.wallets.statement('USD', { to: beforeThePayment })
    assert.deepEqual([until.opening_balance, until.data.length, until.closing_balance], [0, 0, 0])
    const csv = await bob.client.wallets.statementCsv('USD')
    assert.match(csv, /^posted_at,transfer_id,kind,description,direction,amount,balance_after\r\n/)
    try {
      await alice.client.transfers.create({ receiver_id: bob.session.user.id, amount: 10_000 })
      assert.fail('expected a refusal')
    } catch (error) {
      assert.instanceOf(error, PurseApiError)
      assert.equal((error as PurseApiError).code, 'insufficient_funds')
      assert.equal((error as PurseApiError).status, 422)
      assert.isString((error as PurseApiError).requestId)
    }
  })

  test('a retried transfer whose first answer was lost is paid exactly once', async ({
    assert,
  }) => {
    const proxy = await startProxy(apiUrl())
    try {
      const alice = await person(proxy.url, 1_000)
      const bob = await person()
      proxy.dropAnswerOf((method, path) => method === 'POST' && path === '/api/v1/transfers')
      const sent = await alice.client.transfers.create({
        receiver_id: bob.session.user.id,
        amount: 300,
      })
      assert.equal(proxy.count('POST /api/v1/transfers'), 2)
      assert.equal((await alice.client.wallets.usd()).balance, 700)
      assert.equal((await bob.client.wallets.usd()).balance, 300)
      const history = []
      for await (const t of alice.client.transfers.list({ direction: 'sent' })) history.push(t.id)
      assert.deepEqual(history, [sent.id])
    } finally {
      await proxy.close()
    }
  })

  test('many concurrent 401s trigger exactly one refresh', async ({ assert }) => {
    const proxy = await startProxy(apiUrl())
    try {
      const { session } = await person()
      const store = memoryTokenStore({
        access_token: 'expired.or.revoked',
        refresh_token: session.refresh_token!,
      })
      const client = createPurseClient({ baseUrl: proxy.url, tokenStore: store })
      const answers = await Promise.all(Array.from({ length: 12 }, () => client.me()))
      assert.isTrue(answers.every((me) => me.id === session.user.id))
      assert.equal(proxy.count('POST /api/v1/auth/refresh'), 1)
    } finally {
      await proxy.close()
    }
  })

  test('a refresh that fails ends the session once and calls onSessionExpired', async ({
    assert,
  }) => {
    let expired = 0
    const client = createPurseClient({
      baseUrl: apiUrl(),
      tokens: { access_token: 'bad', refresh_token: 'also-bad' },
      onSessionExpired: () => expired++,
    })
    const results = await Promise.allSettled([client.me(), client.me(), client.me()])
    assert.isTrue(
      results.every(
        (r) => r.status === 'rejected' && (r.reason as PurseApiError).code === 'unauthorized'
      )
    )
    assert.equal(expired, 1)
    assert.isNull(await client.tokens.get())
  })

  test('pagination yields every transfer once while new ones arrive', async ({ assert }) => {
    const alice = await person(apiUrl(), 100_000)
    const bob = await person()
    const made = []
    for (let i = 0; i < 12; i++)
      made.push(
        (await alice.client.transfers.create({ receiver_id: bob.session.user.id, amount: 1 + i }))
          .id
      )
    const seen: string[] = []
    let added = 0
    for await (const t of alice.client.transfers.list({ direction: 'sent', limit: 5 })) {
      seen.push(t.id)
      if (added < 3) {
        added++
        await alice.client.transfers.create({ receiver_id: bob.session.user.id, amount: 1 })
      }
    }
    assert.equal(new Set(seen).size, seen.length)
    assert.deepEqual(seen, [...made].reverse())
  })
})

test.group('Client: retries', () => {
  test('429 with Retry-After and 503 are retried with the same Idempotency-Key', async ({
    assert,
  }) => {
    const alice = await person(apiUrl(), 1_000)
    const bob = await person()
    const keys: string[] = []
    let calls = 0
    const flaky: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (new URL(request.url).pathname !== '/api/v1/transfers') return fetch(request)
      keys.push(request.headers.get('idempotency-key')!)
      calls++
      if (calls === 1) {
        return new Response(
          JSON.stringify({
            type: 'x',
            title: 'x',
            status: 429,
            code: 'rate_limited',
            detail: 'slow down',
            request_id: 'r1',
          }),
          {
            status: 429,
            headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
          }
        )
      }
      if (calls === 2) {
        return new Response(
          JSON.stringify({
            type: 'x',
            title: 'x',
            status: 503,
            code: 'ledger_unavailable',
            detail: 'down',
            request_id: 'r2',
          }),
          {
            status: 503,
            headers: { 'content-type': 'application/problem+json' },
          }
        )
      }
      return fetch(request)
    }
    const client = createPurseClient({
      baseUrl: apiUrl(),
      tokens: (await alice.client.tokens.get()) ?? undefined,
      fetch: flaky,
    })
    const started = Date.now()
    const sent = await client.transfers.create({ receiver_id: bob.session.user.id, amount: 5 })
    assert.equal(sent.amount, 5)
    assert.equal(calls, 3)
    assert.equal(new Set(keys).size, 1)
    assert.isAtLeast(Date.now() - started, 1_000)
    assert.equal((await bob.client.wallets.usd()).balance, 5)
  })

  test('409 while the same key is still running is retried until the first finishes', async ({
    assert,
  }) => {
    const alice = await person(apiUrl(), 1_000)
    const bob = await person()
    const key = randomUUID()
    const unlock = await lockLedgerAccount((await alice.client.wallets.usd()).id)
    // The first request with the key, from another tab: it waits on the lock in ledger-core.
    const first = fetch(`${apiUrl()}/api/v1/transfers`, {
      method: 'POST',
      headers: {
        'authorization': `Bearer ${alice.session.access_token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ receiver_id: bob.session.user.id, amount: 300 }),
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const statuses: number[] = []
    const watching: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      const answer = await fetch(input, init)
      if (new URL(url).pathname === '/api/v1/transfers') {
        statuses.push(answer.status)
        // Told the first is still running: let it finish.
        if (answer.status === 409) await unlock()
      }
      return answer
    }
    const client = createPurseClient({
      baseUrl: apiUrl(),
      tokens: (await alice.client.tokens.get()) ?? undefined,
      fetch: watching,
    })
    const sent = await client.transfers
      .create({ receiver_id: bob.session.user.id, amount: 300 }, { idempotencyKey: key })
      .finally(unlock)
    // Told 409 first; a retry that comes before the first has finished is told
    // 409 again (the back-off may be near 0 ms); the last answer is the payment.
    assert.equal(statuses[0], 409)
    assert.equal(statuses.at(-1), 201)
    assert.isTrue(statuses.slice(0, -1).every((status) => status === 409))
    assert.equal(sent.id, ((await (await first).json()) as { id: string }).id)
    assert.equal((await alice.client.wallets.usd()).balance, 700)
    assert.equal((await bob.client.wallets.usd()).balance, 300)
  })

  test('a refusal that retrying cannot fix is thrown at once', async ({ assert }) => {
    const alice = await person(apiUrl(), 10)
    const bob = await person()
    let calls = 0
    const counting: typeof fetch = async (input, init) => {
      calls++
      return fetch(input, init)
    }
    const client = createPurseClient({
      baseUrl: apiUrl(),
      tokens: (await alice.client.tokens.get()) ?? undefined,
      fetch: counting,
    })
    await assert.rejects(() =>
      client.transfers.create({ receiver_id: bob.session.user.id, amount: 500 })
    )
    assert.equal(calls, 1)
  })
})
