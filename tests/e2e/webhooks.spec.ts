import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { Webhook } from 'standardwebhooks'
import {
  call,
  startAppProcess,
  startDispatcher,
  type AppProcess,
  type DispatcherProcess,
} from '#tests/support/stack'
import { startReceiver } from '#tests/support/webhook_receiver'

/** Webhooks to 127.0.0.1 (allowed in tests only), retried fast, leases short. */
const webhook_env = {
  WEBHOOKS_ALLOW_LOCAL: 'true',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_RETRY_CAP_MS: '3000',
  WEBHOOK_LEASE_MS: '2000',
}

async function person(app: AppProcess, funds = 0) {
  const signup = await call(app.url, 'POST', '/api/v1/auth/register', {
    email: `${randomUUID()}@example.com`,
    password: 'correct horse battery',
    full_name: 'Hook Owner',
  })
  const token = signup.body.access_token as string
  if (funds > 0) await call(app.url, 'POST', '/api/v1/deposits', { amount: funds }, token)
  return { id: signup.body.user.id as string, token }
}

async function endpoint(app: AppProcess, token: string, url: string, event_types: string[] = []) {
  const created = await call(
    app.url,
    'POST',
    '/api/v1/webhook-endpoints',
    { url, event_types },
    token
  )
  if (created.status !== 201) throw new Error(JSON.stringify(created.body))
  return created.body as { id: string; secret: string }
}

const deposit = (app: AppProcess, token: string, amount: number) =>
  call(app.url, 'POST', '/api/v1/deposits', { amount }, token, { 'idempotency-key': randomUUID() })

test.group('Webhooks delivered by the dispatcher', (group) => {
  let app: AppProcess
  const dispatchers: DispatcherProcess[] = []
  group.setup(async () => {
    app = await startAppProcess(webhook_env)
    return async () => {
      await Promise.all(dispatchers.map((d) => d.stop('SIGKILL')))
      await app.stop()
    }
  })
  group.each.teardown(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()))
  })

  test('a failing receiver is retried with growing delays until it answers; every delivery verifies', async ({
    assert,
  }) => {
    const receiver = await startReceiver()
    receiver.answerWith((_, i) => (i < 3 ? 500 : 200))
    dispatchers.push(await startDispatcher(webhook_env))
    const owner = await person(app)
    const hook = await endpoint(app, owner.token, receiver.url, ['deposit.completed'])
    const made = await deposit(app, owner.token, 700)
    await receiver.waitFor(() => receiver.received.length >= 4)

    const [a, b, c, d] = receiver.received.map((r) => r.at)
    assert.isAbove(c! - b!, (b! - a!) * 0.9, 'the second wait is longer than the first')
    assert.isAbove(d! - c!, (c! - b!) * 0.9, 'and the third longer than the second')
    const verifier = new Webhook(hook.secret)
    for (const request of receiver.received) {
      const event = verifier.verify(request.body, request.headers) as any
      assert.equal(event.type, 'deposit.completed')
      assert.equal(event.data.id, made.body.id)
      assert.equal(request.headers['webhook-id'], event.id)
    }
    // The same id on every try: the receiver de-duplicates on it.
    assert.lengthOf(new Set(receiver.received.map((r) => r.headers['webhook-id'])), 1)
    const last = receiver.received.at(-1)!
    assert.throws(() => verifier.verify(last.body.replace('700', '7000'), last.headers))
    const old = new Date(Date.now() - 10 * 60_000)
    const replayed = {
      'webhook-id': last.headers['webhook-id']!,
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': verifier.sign(last.headers['webhook-id']!, old, last.body),
    }
    assert.throws(() => verifier.verify(last.body, replayed))

    const attempts = await call(
      app.url,
      'GET',
      `/api/v1/webhook-endpoints/${hook.id}/attempts`,
      undefined,
      owner.token
    )
    assert.deepEqual(
      attempts.body.data.map((x: any) => x.response_status),
      [200, 500, 500, 500]
    )
    await receiver.close()
  }).timeout(60_000)

  test('a dispatcher killed mid-delivery loses nothing: another delivers after its lease', async ({
    assert,
  }) => {
    const receiver = await startReceiver()
    receiver.answerWith(() => 'hold')
    const killed = await startDispatcher(webhook_env)
    const owner = await person(app)
    await endpoint(app, owner.token, receiver.url, ['deposit.completed'])
    for (const amount of [1, 2, 3, 4, 5]) await deposit(app, owner.token, amount)
    await receiver.waitFor(() => receiver.received.length >= 5)
    await killed.stop('SIGKILL')
    receiver.release(200)
    receiver.answerWith(() => 200)
    dispatchers.push(await startDispatcher(webhook_env))
    await receiver.waitFor(
      () =>
        new Set(receiver.received.map((r) => r.headers['webhook-id'])).size === 5 &&
        receiver.received.length >= 10
    )
    const byEvent = new Map<string, number>()
    for (const r of receiver.received)
      byEvent.set(r.headers['webhook-id']!, (byEvent.get(r.headers['webhook-id']!) ?? 0) + 1)
    console.log(
      `webhooks: after a SIGKILL mid-delivery, deliveries per event ${JSON.stringify([...byEvent.values()])}`
    )
    assert.equal(byEvent.size, 5)
    await receiver.close()
  }).timeout(60_000)

  test('two dispatchers at once deliver each event, and no event twice', async ({ assert }) => {
    const receiver = await startReceiver()
    dispatchers.push(await startDispatcher(webhook_env), await startDispatcher(webhook_env))
    const owner = await person(app)
    await endpoint(app, owner.token, receiver.url, ['deposit.completed'])
    await Promise.all(Array.from({ length: 40 }, (_, i) => deposit(app, owner.token, i + 1)))
    await receiver.waitFor(() => receiver.received.length >= 40)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const ids = receiver.received.map((r) => r.headers['webhook-id'])
    const twice = ids.length - new Set(ids).size
    console.log(`webhooks: two dispatchers, ${ids.length} deliveries of 40 events, ${twice} twice`)
    assert.equal(new Set(ids).size, 40)
    assert.equal(twice, 0)
    await receiver.close()
  }).timeout(60_000)

  test('a receiver answering 410 Gone disables its endpoint, and says why', async ({ assert }) => {
    const receiver = await startReceiver()
    receiver.answerWith(() => 410)
    dispatchers.push(await startDispatcher(webhook_env))
    const owner = await person(app)
    const hook = await endpoint(app, owner.token, receiver.url)
    await deposit(app, owner.token, 5)
    await receiver.waitFor(() => receiver.received.length >= 1)
    let shown
    for (let i = 0; i < 50; i++) {
      shown = await call(
        app.url,
        'GET',
        `/api/v1/webhook-endpoints/${hook.id}`,
        undefined,
        owner.token
      )
      if (!shown.body.enabled) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.isFalse(shown!.body.enabled)
    assert.include(shown!.body.disabled_reason, '410')
    await deposit(app, owner.token, 6)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    assert.lengthOf(receiver.received, 1)
    await receiver.close()
  }).timeout(30_000)

  test('keys and signing secrets appear in no log line of the API or the dispatcher', async ({
    assert,
  }) => {
    const receiver = await startReceiver()
    const dispatcher = await startDispatcher({ ...webhook_env, LOG_LEVEL: 'trace' })
    dispatchers.push(dispatcher)
    const owner = await person(app)
    const hook = await endpoint(app, owner.token, receiver.url)
    const key = await call(
      app.url,
      'POST',
      '/api/v1/api-keys',
      { name: 'Logs', scopes: ['transfers:write', 'events:read'] },
      owner.token
    )
    await call(app.url, 'POST', '/api/v1/deposits', { amount: 9 }, key.body.secret)
    await call(app.url, 'GET', '/api/v1/events', undefined, key.body.secret)
    await receiver.waitFor(() => receiver.received.length >= 2)
    for (const output of [app.output(), dispatcher.output()]) {
      assert.notInclude(output, key.body.secret)
      assert.notInclude(output, hook.secret)
      assert.notInclude(output, hook.secret.slice(6))
      assert.notInclude(output, owner.token)
    }
    await receiver.close()
  }).timeout(30_000)
})

test.group('API keys across replicas', (group) => {
  const apps: AppProcess[] = []
  group.setup(async () => {
    apps.push(await startAppProcess({}), await startAppProcess({}))
    return () => Promise.all(apps.map((a) => a.stop())).then(() => undefined)
  })

  test('a key revoked on one replica is refused by the other within a second', async ({
    assert,
  }) => {
    const [a, b] = apps as [AppProcess, AppProcess]
    const owner = await person(a)
    const key = await call(
      a.url,
      'POST',
      '/api/v1/api-keys',
      { name: 'Replicas', scopes: ['wallets:read'] },
      owner.token
    )
    assert.equal(
      (await call(b.url, 'GET', '/api/v1/wallets', undefined, key.body.secret)).status,
      200
    )
    const revoked = await call(
      a.url,
      'DELETE',
      `/api/v1/api-keys/${key.body.id}`,
      undefined,
      owner.token
    )
    assert.equal(revoked.status, 200)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    assert.equal(
      (await call(b.url, 'GET', '/api/v1/wallets', undefined, key.body.secret)).status,
      401
    )
    assert.equal(
      (await call(a.url, 'GET', '/api/v1/wallets', undefined, key.body.secret)).status,
      401
    )
  })
})

test.group('Events after a crash', () => {
  test("an API killed between ledger-core's commit and its own write: history:reconcile gives each person one event", async ({
    assert,
  }) => {
    const { migrate } = await import('@purse/ledger-core')
    const { startHoldingProxy } = await import('#tests/support/holding_proxy')
    const { ace, ledger_test_token, startLedger } = await import('#tests/support/stack')
    const pg = (await import('pg')).default
    await migrate(process.env.DATABASE_URL!)
    const ledger = await startLedger(process.env.DATABASE_URL!)
    // ledger-core makes the payment; its answer never reaches the API, which dies waiting.
    const proxy = await startHoldingProxy(ledger.url, (request) =>
      String(request.headers['idempotency-key']).startsWith('p2p:')
    )
    const env = {
      LEDGER_URL: proxy.url,
      LEDGER_API_TOKEN: ledger_test_token,
      PAYMENT_FOLLOW_UP_MS: '3600000',
    }
    let app = await startAppProcess(env)
    const [alice, bob] = [await person(app, 1_000), await person(app)]
    const paying = call(
      app.url,
      'POST',
      '/api/v1/transfers',
      { receiver_id: bob.id, amount: 321 },
      alice.token
    ).catch(() => null)
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await db.connect()
    const made = async () =>
      (
        await db.query(`SELECT id FROM ledger.transfers WHERE idempotency_key LIKE $1`, [
          `p2p:${alice.id}:%`,
        ])
      ).rows
    while ((await made()).length === 0) await new Promise((resolve) => setTimeout(resolve, 50))
    app.child.kill('SIGKILL')
    await paying
    const transferId = (await made())[0].id as string
    const events = async () =>
      (await db.query(`SELECT user_id, type FROM events WHERE subject_id = $1`, [transferId])).rows
    assert.lengthOf(await events(), 0)

    await ace(['history:reconcile'], process.env.DATABASE_URL!)
    await ace(['history:reconcile'], process.env.DATABASE_URL!)
    const restored = await events()
    assert.sameDeepMembers(restored, [
      { user_id: alice.id, type: 'transfer.completed' },
      { user_id: bob.id, type: 'transfer.completed' },
    ])
    // The same payment asked again replays; it announces nothing more.
    proxy.holding = false
    app = await startAppProcess(env)
    await db.end()
    await app.stop()
    await proxy.stop()
    await ledger.stop()
  }).timeout(60_000)
})
