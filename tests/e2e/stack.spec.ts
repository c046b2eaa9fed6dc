import { randomBytes, randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import type { Group } from '@japa/runner/core'
import { migrate } from '@purse/ledger-core'
import { startTcpProxy, type TcpProxy } from '@purse/ledger-core/testing'
import { startHoldingProxy, type HoldingProxy } from '#tests/support/holding_proxy'
import {
  ace,
  call,
  ledger_test_token,
  lockLedgerAccount,
  startAppProcess,
  startLedger,
  type AppProcess,
} from '#tests/support/stack'

const password = 'correct horse battery'

async function people(app: AppProcess, count: number, funds: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const email = `${randomUUID()}@example.com`
      const signup = await call(app.url, 'POST', '/api/v1/auth/register', {
        email,
        password,
        full_name: `Person ${i}`,
      })
      if (signup.status !== 201) throw new Error(JSON.stringify(signup.body))
      const token = signup.body.access_token as string
      if (funds > 0) await call(app.url, 'POST', '/api/v1/deposits', { amount: funds }, token)
      return { id: signup.body.user.id as string, token }
    })
  )
}

/** A payment by the holder of `token`, over HTTP. */
function pay(
  app: AppProcess,
  token: string,
  body: Record<string, unknown>,
  headers?: Record<string, string>
) {
  return call(app.url, 'POST', '/api/v1/transfers', body, token, headers)
}

async function balance(app: AppProcess, token: string) {
  return (await call(app.url, 'GET', '/api/v1/wallet', undefined, token)).body.balance as number
}

/**
 * ledger-core and the API as two processes for a group's tests; a test may
 * replace `ledger` (after killing it) and teardown stops whichever runs.
 */
function separateProcesses(group: Group, env: Record<string, string> = {}) {
  const stack = {} as { ledger: Awaited<ReturnType<typeof startLedger>>; app: AppProcess }
  group.setup(async () => {
    await migrate(process.env.DATABASE_URL!)
    stack.ledger = await startLedger(process.env.DATABASE_URL!)
    stack.app = await startAppProcess({
      LEDGER_URL: stack.ledger.url,
      LEDGER_API_TOKEN: ledger_test_token,
      ...env,
    })
    return async () => {
      await stack.app.stop()
      await stack.ledger.stop()
    }
  })
  return stack
}

test.group('The stack as separate processes', (group) => {
  // Payments with an unknown outcome are looked at again every half second.
  const stack = separateProcesses(group, { PAYMENT_FOLLOW_UP_MS: '500' })

  test('1,000 concurrent transfers among 20 users keep every cent', async ({ assert }) => {
    const users = await people(stack.app, 20, 10_000)
    const expected = new Map(users.map((u) => [u.id, 10_000]))
    let next = 0
    const outcomes = new Map<number, number>()
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < 1_000) {
          const n = next++
          const from = users[n % 20]!
          const to = users[(n * 7 + 3) % 20]!
          if (from === to) continue
          const amount = 1 + (n % 50)
          const response = await pay(stack.app, from.token, { receiver_id: to.id, amount })
          outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1)
          if (response.status === 201) {
            expected.set(from.id, expected.get(from.id)! - amount)
            expected.set(to.id, expected.get(to.id)! + amount)
          } else {
            assert.equal(response.body.code, 'insufficient_funds')
          }
        }
      })
    )
    assert.isAbove(outcomes.get(201) ?? 0, 900)
    let total = 0
    for (const user of users) {
      const actual = await balance(stack.app, user.token)
      assert.equal(actual, expected.get(user.id))
      total += actual
    }
    assert.equal(total, 20 * 10_000)
    const invariants = await call(
      stack.ledger.url,
      'GET',
      '/v1/invariants',
      undefined,
      ledger_test_token
    )
    assert.isTrue(invariants.body.ok, JSON.stringify(invariants.body.violations))
  }).timeout(120_000)

  test('the same key sent again while the first is still running: 409 in progress, then a replay', async ({
    assert,
  }) => {
    const [alice, bob] = await people(stack.app, 2, 10_000)
    const wallet = await call(stack.app.url, 'GET', '/api/v1/wallet', undefined, alice!.token)
    const key = randomUUID()
    const send = () =>
      pay(
        stack.app,
        alice!.token,
        { receiver_id: bob!.id, amount: 700 },
        { 'idempotency-key': key }
      )
    // Alice's ledger account locked from outside: her payment waits in ledger-core, holding its key.
    const unlock = await lockLedgerAccount(process.env.DATABASE_URL!, wallet.body.id)
    const first = send()
    await new Promise((resolve) => setTimeout(resolve, 200))
    // A double-click: ledger-core says the key is in use, and after one more
    // try the API tells the caller so. ledger-core answered, so not a 503.
    const second = await send().finally(unlock)
    assert.equal(second.status, 409, JSON.stringify(second.body))
    assert.equal(second.body.code, 'idempotency_key_in_use')
    const paid = await first
    assert.equal(paid.status, 201)
    const replay = await send()
    assert.equal(replay.status, 201)
    assert.equal(replay.headers.get('idempotent-replayed'), 'true')
    assert.equal(replay.body.id, paid.body.id)
    assert.equal(await balance(stack.app, alice!.token), 9_300)
    assert.equal(await balance(stack.app, bob!.token), 10_700)
  })

  test("text the ledger cannot store is refused at the edge and does not stop others' payments", async ({
    assert,
  }) => {
    const [mallory, alice, bob] = await people(stack.app, 3, 1_000)
    // Once, each of these reached ledger-core, failed its query as a 500, and
    // five in a row opened the breaker: every payment of everyone got 503.
    for (let i = 0; i < 6; i++) {
      const response = await pay(stack.app, mallory!.token, {
        receiver_id: bob!.id,
        amount: 1,
        description: `nul\u0000${i}`,
      })
      assert.equal(response.status, 400)
      assert.equal(response.body.code, 'invalid_json')
    }
    const paid = await pay(stack.app, alice!.token, { receiver_id: bob!.id, amount: 10 })
    assert.equal(paid.status, 201)
    assert.equal(await balance(stack.app, mallory!.token), 1_000)
  })

  test('ledger-core down: quick 503 ledger_unavailable, nothing half-done, then service resumes', async ({
    assert,
  }) => {
    const [alice, bob] = await people(stack.app, 2, 1_000)
    const port = stack.ledger.port
    await stack.ledger.stop('SIGKILL')
    const answers = []
    for (let i = 0; i < 8; i++) {
      const started = Date.now()
      const response = await pay(stack.app, alice!.token, { receiver_id: bob!.id, amount: 10 })
      answers.push({ status: response.status, code: response.body?.code, ms: Date.now() - started })
    }
    for (const answer of answers) {
      assert.equal(answer.status, 503)
      assert.equal(answer.code, 'ledger_unavailable')
    }
    // Once the breaker is open, refusals come at once, without waiting on the network.
    assert.isBelow(answers.at(-1)!.ms, 200)
    // Every route that needs the ledger says so the same way (a deposit once answered 500).
    for (const [method, path, body] of [
      ['POST', '/api/v1/deposits', { amount: 5 }],
      ['GET', '/api/v1/wallets', undefined],
      ['GET', '/api/v1/wallet', undefined],
      ['POST', '/api/v1/wallets', { currency: 'EUR' }],
      ['GET', '/api/v1/wallets/USD/statement', undefined],
    ] as const) {
      const response = await call(stack.app.url, method, path, body, alice!.token)
      assert.equal(response.status, 503, `${method} ${path}`)
      assert.equal(response.body.code, 'ledger_unavailable')
    }
    const health = await call(stack.app.url, 'GET', '/health')
    assert.equal(health.status, 503)
    assert.equal(health.body.checks.ledger, 'failing')

    stack.ledger = await startLedger(process.env.DATABASE_URL!, port)
    let resumed = 0
    for (let i = 0; i < 40 && resumed === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      const response = await pay(stack.app, alice!.token, { receiver_id: bob!.id, amount: 10 })
      if (response.status === 201) resumed++
    }
    assert.equal(resumed, 1)
    assert.equal(await balance(stack.app, alice!.token), 990)
    assert.equal(await balance(stack.app, bob!.token), 1_010)
  }).timeout(60_000)

  test('ledger-core hung: calls time out, the breaker opens, and retries with the same key pay once', async ({
    assert,
  }) => {
    const [alice, bob] = await people(stack.app, 2, 1_000)
    const payWithKey = (key?: string) =>
      pay(
        stack.app,
        alice!.token,
        { receiver_id: bob!.id, amount: 1 },
        key ? { 'idempotency-key': key } : {}
      )
    // The first payment has no key of its own: the API chooses one.
    const keys: (string | undefined)[] = [undefined, ...Array.from({ length: 5 }, randomUUID)]
    stack.ledger.child.kill('SIGSTOP')
    try {
      // Five calls time out together, and the breaker counts each one. A
      // sixth, of 100, is never asked about again by its client.
      const [abandoned, ...hung] = await Promise.all([
        pay(stack.app, alice!.token, { receiver_id: bob!.id, amount: 100 }),
        ...keys.slice(0, 5).map(payWithKey),
      ])
      for (const answer of [abandoned!, ...hung]) {
        assert.equal(answer.status, 503)
        assert.equal(answer.body.code, 'ledger_unavailable')
        assert.match(answer.body.detail, /may have been made/)
      }
      // The key the API chose comes back, so that payment's outcome can be learnt too.
      keys[0] = hung[0]!.headers.get('idempotency-key')!
      assert.match(keys[0], /^[0-9a-f-]{36}$/)
      assert.equal(hung[1]!.headers.get('idempotency-key'), keys[1])
      const started = Date.now()
      const refused = await payWithKey(keys[5])
      assert.isBelow(Date.now() - started, 200)
      assert.equal(refused.status, 503)
      assert.match(refused.body.detail, /nothing was moved/)
    } finally {
      stack.ledger.child.kill('SIGCONT')
    }
    // The hung calls may have been made once ledger-core woke: their keys say so.
    for (const key of keys) {
      let answer = await payWithKey(key)
      for (let i = 0; i < 40 && answer.status === 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        answer = await payWithKey(key)
      }
      assert.equal(answer.status, 201)
    }
    // ledger-core made the abandoned payment too when it woke. Nobody asked
    // again, yet its history row appears: the API follows up on its own.
    assert.equal(await balance(stack.app, alice!.token), 894)
    assert.equal(await balance(stack.app, bob!.token), 1_106)
    let payments: { amount: number }[] = []
    for (let i = 0; i < 40 && payments.length < 7; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      const history = await call(stack.app.url, 'GET', '/api/v1/transfers', undefined, bob!.token)
      payments = history.body.data.filter((t: { kind: string }) => t.kind === 'p2p')
    }
    assert.sameMembers(
      payments.map((t) => t.amount),
      [100, 1, 1, 1, 1, 1, 1]
    )
  }).timeout(60_000)
})

test.group('Staff actions whose answer is lost', (group) => {
  const stack = {} as {
    ledger: Awaited<ReturnType<typeof startLedger>>
    proxy: HoldingProxy
    app: AppProcess
  }
  group.setup(async () => {
    await migrate(process.env.DATABASE_URL!)
    stack.ledger = await startLedger(process.env.DATABASE_URL!)
    // ledger-core makes every reversal, adjustment and freeze; the API never hears so.
    stack.proxy = await startHoldingProxy(
      stack.ledger.url,
      (request) =>
        /^(reversal|adjustment):/.test(String(request.headers['idempotency-key'])) ||
        request.url!.endsWith('/freeze')
    )
    stack.app = await startAppProcess({
      LEDGER_URL: stack.proxy.url,
      LEDGER_API_TOKEN: ledger_test_token,
      PAYMENT_FOLLOW_UP_MS: '500',
    })
    return async () => {
      await stack.app.stop()
      await stack.proxy.stop()
      await stack.ledger.stop()
    }
  })

  test('a reversal and an adjustment made after their 503 get history and audit rows, once', async ({
    assert,
  }) => {
    const [alice, bob, admin] = await people(stack.app, 3, 1_000)
    await promote(admin!.token)
    stack.proxy.holding = true
    const paid = await pay(stack.app, alice!.token, { receiver_id: bob!.id, amount: 300 })
    const wallet = (await call(stack.app.url, 'GET', '/api/v1/wallet', undefined, bob!.token)).body
    const reverse = () =>
      call(
        stack.app.url,
        'POST',
        `/api/v1/admin/transfers/${paid.body.id}/reversal`,
        { reason: 'paid by mistake' },
        admin!.token
      )
    const adjust = (headers: Record<string, string>) =>
      call(
        stack.app.url,
        'POST',
        `/api/v1/admin/wallets/${wallet.id}/adjustments`,
        { amount: 50, reason: 'goodwill credit' },
        admin!.token,
        headers
      )

    const [reversal, adjustment] = await Promise.all([reverse(), adjust({})])
    for (const answer of [reversal, adjustment]) {
      assert.equal(answer.status, 503)
      assert.match(answer.body.detail, /may have been made/)
    }
    // The adjustment had no key of its own: the one the API chose comes back.
    const key = adjustment.headers.get('idempotency-key')!
    assert.match(key, /^[0-9a-f-]{36}$/)

    // Nobody repeats them, yet both appear in Bob's history, each audited once.
    let history: { kind: string; amount: number }[] = []
    for (let i = 0; i < 40 && history.length < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      history = (await call(stack.app.url, 'GET', '/api/v1/transfers', undefined, bob!.token)).body
        .data
    }
    assert.sameDeepMembers(
      history.map((t) => ({ kind: t.kind, amount: t.amount })),
      [
        { kind: 'deposit', amount: 1_000 },
        { kind: 'p2p', amount: 300 },
        { kind: 'reversal', amount: 300 },
        { kind: 'adjustment', amount: 50 },
      ]
    )
    const audited = async () =>
      (
        await call(
          stack.app.url,
          'GET',
          `/api/v1/admin/audit-log?actor_id=${admin!.id}`,
          undefined,
          admin!.token
        )
      ).body.data as Record<string, any>[]
    const rows = await audited()
    assert.sameDeepMembers(
      rows.map((r) => ({
        action: r.action,
        target_id: r.target_id,
        reason: r.reason,
        request_id: r.request_id,
        restored: r.details.restored,
      })),
      [
        {
          action: 'transfer.reverse',
          target_id: paid.body.id,
          reason: 'paid by mistake',
          request_id: reversal.headers.get('x-request-id'),
          restored: true,
        },
        {
          action: 'wallet.adjust',
          target_id: wallet.id,
          reason: 'goodwill credit',
          request_id: adjustment.headers.get('x-request-id'),
          restored: true,
        },
      ]
    )

    // Repeating them learns the outcome and moves nothing again.
    stack.proxy.holding = false
    const [again, adjustedAgain] = await Promise.all([
      reverse(),
      adjust({ 'idempotency-key': key }),
    ])
    assert.equal(again.status, 201)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(adjustedAgain.status, 201)
    assert.equal(adjustedAgain.headers.get('idempotent-replayed'), 'true')
    assert.equal(await balance(stack.app, alice!.token), 1_000)
    assert.equal(await balance(stack.app, bob!.token), 1_050)
    assert.lengthOf(await audited(), 2)
  }).timeout(60_000)

  test('a freeze whose answer is lost is audited and keeps the person frozen; repeating completes it', async ({
    assert,
  }) => {
    const [carol, dave, admin] = await people(stack.app, 3, 1_000)
    await promote(admin!.token)
    stack.proxy.holding = true
    const freeze = () =>
      call(
        stack.app.url,
        'POST',
        `/api/v1/admin/users/${carol!.id}/freeze`,
        { reason: 'suspected fraud' },
        admin!.token
      )
    const lost = await freeze()
    assert.equal(lost.status, 503)
    // The app record was frozen and audited before ledger-core was asked.
    const person = async () =>
      (
        await call(
          stack.app.url,
          'GET',
          `/api/v1/admin/users/${carol!.id}`,
          undefined,
          admin!.token
        )
      ).body
    assert.equal((await person()).status, 'frozen')
    const audit = await call(
      stack.app.url,
      'GET',
      `/api/v1/admin/audit-log?target_id=${carol!.id}`,
      undefined,
      admin!.token
    )
    assert.deepEqual(
      audit.body.data.map((r: { action: string; reason: string }) => [r.action, r.reason]),
      [['user.freeze', 'suspected fraud']]
    )
    for (const [from, to] of [
      [carol!, dave!],
      [dave!, carol!],
    ]) {
      const refused = await pay(stack.app, from.token, { receiver_id: to.id, amount: 1 })
      assert.equal(refused.status, 403)
      assert.equal(refused.body.code, 'account_frozen')
    }

    stack.proxy.holding = false
    assert.equal((await freeze()).status, 200)
    assert.deepEqual(
      (await person()).wallets.map((w: { status: string }) => w.status),
      ['frozen']
    )
    const unfrozen = await call(
      stack.app.url,
      'POST',
      `/api/v1/admin/users/${carol!.id}/unfreeze`,
      { reason: 'cleared' },
      admin!.token
    )
    assert.equal(unfrozen.status, 200)
    assert.equal(
      (await pay(stack.app, carol!.token, { receiver_id: dave!.id, amount: 1 })).status,
      201
    )
  }).timeout(60_000)

  /** Makes the holder of `token` an admin. */
  async function promote(token: string) {
    const me = await call(stack.app.url, 'GET', '/api/v1/me', undefined, token)
    await ace(['users:promote', me.body.email, '--role=admin'], process.env.DATABASE_URL!)
  }
})

test.group('Database down', (group) => {
  const stack = {} as { database: TcpProxy; app: AppProcess }
  group.setup(async () => {
    await migrate(process.env.DATABASE_URL!)
    // The API (and its embedded ledger-core) reach PostgreSQL through a proxy the test can cut.
    stack.database = await startTcpProxy(process.env.DATABASE_URL!)
    stack.app = await startAppProcess({ DATABASE_URL: stack.database.url })
    return async () => {
      await stack.app.stop()
      await stack.database.stop()
    }
  })

  test('every route answers 503 with Retry-After at once, nothing is half-done, and service resumes', async ({
    assert,
  }) => {
    await outage(assert, {
      away: () => stack.database.cut(),
      back: () => stack.database.restore(),
      answeredWithinMs: 2_000,
    })
  }).timeout(60_000)

  test('a database that stops answering: 503 within seconds instead of a hang, and nothing done twice', async ({
    assert,
  }) => {
    // Connections stay open; nothing comes back. Each query gives up after 5 s.
    await outage(assert, {
      away: () => stack.database.stall(),
      back: () => stack.database.resume(),
      answeredWithinMs: 20_000,
    })
  }).timeout(90_000)

  /**
   * While the database is away, every kind of route answers 503 with
   * Retry-After within the time given, and /health says so; once it is back,
   * the payment asked for meanwhile, repeated with its key, is made exactly
   * once (its outcome was unknown: it may have reached the database first).
   */
  async function outage(
    assert: Assert,
    database: { away(): unknown; back(): unknown; answeredWithinMs: number }
  ) {
    const [alice, bob] = await people(stack.app, 2, 1_000)
    const key = randomUUID()
    const payOnce = () =>
      pay(
        stack.app,
        alice!.token,
        { receiver_id: bob!.id, amount: 100 },
        { 'idempotency-key': key }
      )

    await database.away()
    const started = Date.now()
    const answers = await Promise.all([
      call(stack.app.url, 'POST', '/api/v1/auth/login', {
        email: `outage-${randomUUID()}@example.com`,
        password,
      }),
      call(stack.app.url, 'GET', '/api/v1/wallet', undefined, alice!.token),
      call(stack.app.url, 'GET', '/api/v1/transfers', undefined, alice!.token),
      payOnce(),
    ])
    const waited = Date.now() - started
    const health = await call(stack.app.url, 'GET', '/health')
    await database.back()

    assert.isBelow(waited, database.answeredWithinMs)
    for (const answer of answers) {
      assert.equal(answer.status, 503, JSON.stringify(answer.body))
      assert.oneOf(answer.body.code, ['service_unavailable', 'ledger_unavailable'])
      assert.isNotNull(answer.headers.get('retry-after'))
    }
    assert.equal(health.status, 503)

    let paid = await payOnce()
    for (let i = 0; i < 40 && paid.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      paid = await payOnce()
    }
    assert.equal(paid.status, 201)
    assert.equal(await balance(stack.app, alice!.token), 900)
    assert.equal(await balance(stack.app, bob!.token), 1_100)
    const history = await call(stack.app.url, 'GET', '/api/v1/transfers', undefined, bob!.token)
    assert.deepEqual(
      history.body.data.map((t: { kind: string; amount: number }) => [t.kind, t.amount]),
      [
        ['p2p', 100],
        ['deposit', 1_000],
      ]
    )
  }
})

test.group('Redis down', (group) => {
  // Nothing listens on port 1: this app's Redis is down from the start.
  const stack = separateProcesses(group, { REDIS_URL: 'redis://127.0.0.1:1' })

  test('the API keeps serving with degraded limits, and /health says so', async ({ assert }) => {
    const health = await call(stack.app.url, 'GET', '/health')
    assert.equal(health.status, 200)
    assert.equal(health.body.status, 'degraded')
    assert.equal(health.body.checks.redis, 'failing')
    const [alice, bob] = await people(stack.app, 2, 500)
    const sent = await pay(stack.app, alice!.token, { receiver_id: bob!.id, amount: 5 })
    assert.equal(sent.status, 201)
    const login = await call(stack.app.url, 'POST', '/api/v1/auth/login', {
      email: 'nobody@example.com',
      password,
    })
    assert.equal(login.status, 401)
  }).timeout(60_000)

  test('failed logins are still counted, so guessing a password still stops', async ({
    assert,
  }) => {
    const [carol] = await people(stack.app, 1, 0)
    const me = await call(stack.app.url, 'GET', '/api/v1/me', undefined, carol!.token)
    const guess = (attempt: string) =>
      call(stack.app.url, 'POST', '/api/v1/auth/login', { email: me.body.email, password: attempt })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await guess(`wrong guess ${i}`)).status)
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429])
    const right = await guess(password)
    assert.equal(right.status, 429)
    assert.equal(right.body.code, 'too_many_attempts')
    assert.isAbove(Number(right.headers.get('retry-after')), 0)
  }).timeout(60_000)
})

test.group('Rate limits', (group) => {
  const stack = separateProcesses(group, {
    RATE_LIMIT_IP_PER_MINUTE: '6',
    RATE_LIMIT_TRANSFERS_PER_MINUTE: '3',
    RATE_LIMIT_AUTH_PER_MINUTE: '3',
  })
  // Limits live in the shared Redis for a minute: addresses of this run only
  // (the API trusts X-Forwarded-For from loopback, where its proxy runs).
  type Headers = Record<string, string>
  const address = (): Headers => ({
    'x-forwarded-for': `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`,
  })
  const send = (from: Headers, path: string, body?: unknown, token?: string) =>
    call(stack.app.url, body === undefined ? 'GET' : 'POST', path, body, token, from)
  /** Two people, the first with 100 (their deposit is one of their payments). */
  async function twoPeople(from: Headers) {
    const signUp = async (name: string) => {
      const body = { email: `${randomUUID()}@example.com`, password, full_name: name }
      const answer = await send(from, '/api/v1/auth/register', body)
      return { id: answer.body.user.id as string, token: answer.body.access_token as string }
    }
    const alice = await signUp('Alice')
    const bob = await signUp('Bob')
    const funded = await send(from, '/api/v1/deposits', { amount: 100 }, alice.token)
    if (funded.status !== 201) throw new Error(JSON.stringify(funded.body))
    return { alice, payment: { receiver_id: bob.id, amount: 1 } }
  }

  test('every request counts per IP, a forged token on a money route too; a refused one moves nothing', async ({
    assert,
  }) => {
    const setup = address()
    const { alice, payment } = await twoPeople(setup)

    const attacker = address()
    for (let i = 0; i < 6; i++) {
      const forged = await send(attacker, '/api/v1/transfers', payment, 'forged')
      assert.equal(forged.status, 401)
    }
    const refused = await send(attacker, '/api/v1/transfers', payment, alice.token)
    assert.equal(refused.status, 429)
    assert.equal(refused.body.code, 'rate_limited')
    assert.isAbove(Number(refused.headers.get('retry-after')), 0)

    // The fourth and fifth requests from the first address: still within its limit.
    const wallet = await send(setup, '/api/v1/wallet', undefined, alice.token)
    assert.equal(wallet.body.balance, 100)
    const paid = await send(setup, '/api/v1/transfers', payment, alice.token)
    assert.equal(paid.status, 201)
  }).timeout(60_000)

  test('readiness, metrics and the docs count per IP too; liveness never does', async ({
    assert,
  }) => {
    const from = address()
    const paths = ['/health', '/metrics', '/openapi.json', '/docs', '/health', '/openapi.json']
    for (const path of paths) assert.notEqual((await send(from, path)).status, 429, path)
    const refused = await send(from, '/health')
    assert.equal(refused.status, 429)
    assert.equal(refused.body.code, 'rate_limited')
    for (let i = 0; i < 3; i++) assert.equal((await send(from, '/health/live')).status, 200)
  })

  test('sign-ups and logins share a tighter per-IP limit; other routes keep theirs', async ({
    assert,
  }) => {
    const from = address()
    const login = (email: string) => send(from, '/api/v1/auth/login', { email, password })
    const statuses = [
      (await login('nobody-1@example.com')).status,
      (await login('nobody-2@example.com')).status,
      (await login('nobody-3@example.com')).status,
    ]
    assert.deepEqual(statuses, [401, 401, 401])
    const body = { email: `${randomUUID()}@example.com`, password, full_name: 'Too Many' }
    const refused = await send(from, '/api/v1/auth/register', body)
    assert.equal(refused.status, 429)
    assert.equal(refused.body.code, 'rate_limited')
    assert.equal((await login('nobody-4@example.com')).status, 429)
    // The address's general limit still has room.
    assert.equal((await send(from, '/openapi.json')).status, 200)
  })

  test('environments sharing one Redis keep their limits apart', async ({ assert }) => {
    const development = await startAppProcess({
      NODE_ENV: 'development',
      RATE_LIMIT_IP_PER_MINUTE: '6',
    })
    try {
      const from = address()
      const statuses = []
      for (let i = 0; i < 7; i++) statuses.push((await send(from, '/api/v1/me')).status)
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429])
      const there = await call(development.url, 'GET', '/api/v1/me', undefined, undefined, from)
      assert.equal(there.status, 401)
    } finally {
      await development.stop()
    }
  }).timeout(60_000)

  test("a payment refused per IP does not use up the person's own limit", async ({ assert }) => {
    const { alice, payment } = await twoPeople(address())

    const crowded = address()
    for (let i = 0; i < 6; i++) await send(crowded, '/api/v1/me')
    for (let i = 0; i < 2; i++) {
      const refused = await send(crowded, '/api/v1/transfers', payment, alice.token)
      assert.equal(refused.status, 429)
    }

    // Three payments a minute: the deposit and two more, from anywhere else.
    const elsewhere = address()
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push((await send(elsewhere, '/api/v1/transfers', payment, alice.token)).status)
    assert.deepEqual(statuses, [201, 201, 429])
    assert.equal((await send(elsewhere, '/api/v1/wallet', undefined, alice.token)).body.balance, 98)
  }).timeout(60_000)
})
