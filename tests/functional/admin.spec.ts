import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { balanceOf, fundedUser, signUp, staff } from '#tests/support/people'

test.group('Admin: access', () => {
  test('BFLA: a user gets 403 on every admin route; support only on admin-only ones', async ({
    client,
    assert,
  }) => {
    const user = await signUp(client)
    const support = await staff(client, 'support')
    const target = randomUUID()
    const routes: [string, string, boolean][] = [
      ['get', '/api/v1/admin/users', false],
      ['get', `/api/v1/admin/users/${target}`, false],
      ['post', `/api/v1/admin/users/${target}/freeze`, false],
      ['post', `/api/v1/admin/users/${target}/unfreeze`, false],
      ['get', '/api/v1/admin/transfers', false],
      ['get', `/api/v1/admin/transfers/${target}`, false],
      ['get', '/api/v1/admin/audit-log', false],
      ['get', '/api/v1/admin/ledger/invariants', false],
      ['post', `/api/v1/admin/transfers/${target}/reversal`, true],
      ['post', `/api/v1/admin/wallets/${target}/adjustments`, true],
    ]
    for (const [method, url, adminOnly] of routes) {
      const asUser = await (client as any)
        [method](url)
        .bearerToken(user.access_token)
        .json({ reason: 'testing access' })
      asUser.assertStatus(403)
      assert.equal(asUser.body().code, 'forbidden')
      if (adminOnly) {
        const asSupport = await (client as any)
          [method](url)
          .bearerToken(support.access_token)
          .json({ reason: 'testing access' })
        asSupport.assertStatus(403)
      }
      ;(await (client as any)[method](url)).assertStatus(401)
    }
    const admin = await staff(client, 'admin')
    for (const [method, url] of [
      ['get', '/api/v1/admin/users/not-a-uuid'],
      ['get', '/api/v1/admin/transfers/not-a-uuid'],
      ['post', '/api/v1/admin/transfers/not-a-uuid/reversal'],
      ['post', '/api/v1/admin/wallets/not-a-uuid/adjustments'],
    ] as const) {
      const body = method === 'post' ? { reason: 'malformed ids', amount: 5 } : undefined
      const response = await (client as any)
        [method](url)
        .bearerToken(admin.access_token)
        .json(body ?? {})
      response.assertStatus(404)
    }
    const audit = await db.from('audit_logs').whereIn('actor_id', [user.user.id, support.user.id])
    assert.lengthOf(audit, 0)
  })
})

test.group('Admin: users', () => {
  test('search by email or name, then show with wallets', async ({ client, assert }) => {
    const support = await staff(client, 'support')
    const name = `Zelda ${randomUUID().slice(0, 8)}`
    const person = await fundedUser(client, 1_500, name)
    const found = await client
      .get('/api/v1/admin/users')
      .bearerToken(support.access_token)
      .qs({ q: name.slice(6) })
    found.assertStatus(200)
    assert.deepEqual(
      found.body().data.map((u: any) => u.id),
      [person.user.id]
    )
    const shown = await client
      .get(`/api/v1/admin/users/${person.user.id}`)
      .bearerToken(support.access_token)
    assert.equal(shown.body().wallets[0].balance, 1_500)
    assert.notProperty(shown.body(), 'password')
  })

  test('freeze stops money both ways and is audited; unfreeze restores it', async ({
    client,
    assert,
  }) => {
    const support = await staff(client, 'support')
    const alice = await fundedUser(client, 1_000)
    const bob = await fundedUser(client, 1_000)
    const noReason = await client
      .post(`/api/v1/admin/users/${bob.user.id}/freeze`)
      .bearerToken(support.access_token)
      .json({})
    noReason.assertStatus(422)
    const frozen = await client
      .post(`/api/v1/admin/users/${bob.user.id}/freeze`)
      .bearerToken(support.access_token)
      .json({ reason: 'Suspected account takeover' })
    frozen.assertStatus(200)
    assert.equal(frozen.body().status, 'frozen')
    assert.equal(frozen.body().wallets[0].status, 'frozen')
    const toBob = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 1 })
    toBob.assertStatus(403)
    const fromBob = await client
      .post('/api/v1/transfers')
      .bearerToken(bob.access_token)
      .json({ receiver_id: alice.user.id, amount: 1 })
    fromBob.assertStatus(403)
    const log = await client
      .get('/api/v1/admin/audit-log')
      .bearerToken(support.access_token)
      .qs({ target_id: bob.user.id })
    assert.deepEqual(
      log.body().data.map((e: any) => [e.action, e.reason, e.actor.id]),
      [['user.freeze', 'Suspected account takeover', support.user.id]]
    )
    await client
      .post(`/api/v1/admin/users/${bob.user.id}/unfreeze`)
      .bearerToken(support.access_token)
      .json({ reason: 'Verified by phone' })
    ;(
      await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount: 1 })
    ).assertStatus(201)
  })
})

test.group('Admin: money', () => {
  test('an admin reverses a transfer once; both balances move back; it is audited', async ({
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
    const reverse = () =>
      client
        .post(`/api/v1/admin/transfers/${sent.body().id}/reversal`)
        .bearerToken(admin.access_token)
        .json({ reason: 'Sent by mistake' })
    const answers = await Promise.all([reverse(), reverse(), reverse()])
    // One reverses; the others replay it or are told it is in progress. Never twice.
    assert.include(
      answers.map((a) => a.status()),
      201
    )
    for (const answer of answers) assert.oneOf(answer.status(), [201, 409])
    assert.equal(await balanceOf(client, alice.access_token), 1_000)
    assert.equal(await balanceOf(client, bob.access_token), 0)
    const third = await reverse()
    assert.oneOf(third.status(), [201, 409])
    const audit = await db.from('audit_logs').where('target_id', sent.body().id)
    assert.lengthOf(audit, 1)
    const detail = await client
      .get(`/api/v1/admin/transfers/${sent.body().id}`)
      .bearerToken(admin.access_token)
    assert.equal(detail.body().ledger.reversed_amount, 400)
    const invariants = await client
      .get('/api/v1/admin/ledger/invariants')
      .bearerToken(admin.access_token)
    assert.isTrue(invariants.body().ok)
  })

  test('adjustments credit or debit a wallet with a reason; a wallet never goes below zero', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const person = await fundedUser(client, 100)
    const wallet = (await client.get('/api/v1/wallet').bearerToken(person.access_token)).body()
    const credit = await client
      .post(`/api/v1/admin/wallets/${wallet.id}/adjustments`)
      .bearerToken(admin.access_token)
      .json({ amount: 250, reason: 'Goodwill credit' })
    credit.assertStatus(201)
    assert.equal(credit.body().wallet.balance, 350)
    const debit = await client
      .post(`/api/v1/admin/wallets/${wallet.id}/adjustments`)
      .bearerToken(admin.access_token)
      .json({ amount: -400, reason: 'Too much' })
    debit.assertStatus(422)
    assert.equal(debit.body().code, 'insufficient_funds')
    for (const amount of [0, 1.5, '10']) {
      const bad = await client
        .post(`/api/v1/admin/wallets/${wallet.id}/adjustments`)
        .bearerToken(admin.access_token)
        .json({ amount, reason: 'nope nope' })
      bad.assertStatus(422)
    }
    assert.equal(await balanceOf(client, person.access_token), 350)
    const audit = await db.from('audit_logs').where('target_id', wallet.id)
    assert.deepEqual(
      audit.map((a) => a.action),
      ['wallet.adjust']
    )
  })
})

test.group('Statements', () => {
  test('entries with running balances, as JSON and as CSV', async ({ client, assert }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client, '=cmd|"bob"')
    await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 300, description: '=HYPERLINK("x")' })
    const json = await client.get('/api/v1/wallets/usd/statement').bearerToken(alice.access_token)
    json.assertStatus(200)
    assert.deepEqual(
      json.body().data.map((l: any) => [l.direction, l.amount, l.balance_after]),
      [
        ['credit', 1_000, 1_000],
        ['debit', 300, 700],
      ]
    )
    const csv = await client
      .get('/api/v1/wallets/USD/statement')
      .bearerToken(alice.access_token)
      .accept('text/csv')
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    const lines = csv.text().trim().split('\r\n')
    assert.equal(lines[0], 'posted_at,transfer_id,kind,description,direction,amount,balance_after')
    assert.lengthOf(lines, 3)
    assert.include(lines[2], `"'=HYPERLINK(""x"")"`)
  })
})

test.group('Rate limits and metrics', () => {
  test('transfers per user are limited with 429 rate_limited and Retry-After', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 100_000)
    const bob = await signUp(client)
    const answers = []
    for (let i = 0; i < 65; i++) {
      answers.push(
        await client
          .post('/api/v1/transfers')
          .bearerToken(alice.access_token)
          .json({ receiver_id: bob.user.id, amount: 1 })
      )
    }
    const limited = answers.filter((a) => a.status() === 429)
    assert.isAbove(limited.length, 0)
    assert.equal(limited[0]!.body().code, 'rate_limited')
    assert.isAbove(Number(limited[0]!.header('retry-after')), 0)
    // The deposit counted against the same budget: 60 in all went through.
    assert.equal(await balanceOf(client, bob.access_token), 59)
  })

  test('metrics need the token', async ({ client, assert }) => {
    ;(await client.get('/metrics')).assertStatus(401)
    const ok = await client.get('/metrics').bearerToken(process.env.METRICS_TOKEN!)
    ok.assertStatus(200)
    assert.include(ok.text(), 'purse_api_http_request_duration_seconds')
    assert.include(ok.text(), 'purse_api_rate_limit_hits_total')
  })
})
