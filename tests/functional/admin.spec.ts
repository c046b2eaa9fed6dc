import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { refuseNewRows } from '#tests/support/database_faults'
import { balanceOf, fundedUser, signUp, staff } from '#tests/support/people'
import { ace } from '#tests/support/stack'

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
      ['get', '/api/v1/admin/overview', false],
      ['get', `/api/v1/admin/wallets/${target}/statement`, false],
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
      ['get', '/api/v1/admin/wallets/not-a-uuid/statement'],
      ['get', `/api/v1/admin/wallets/${target}/statement`],
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

test.group('Admin: role changes', () => {
  test('a demoted admin is refused on the next request, and /me shows the new role', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const list = () => client.get('/api/v1/admin/users').bearerToken(admin.access_token)
    ;(await list()).assertStatus(200)
    await db.from('users').where('id', admin.user.id).update({ role: 'user' })
    const refused = await list()
    refused.assertStatus(403)
    assert.equal(refused.body().code, 'forbidden')
    const me = await client.get('/api/v1/me').bearerToken(admin.access_token)
    assert.equal(me.body().role, 'user')
  })

  test("the README's users:promote works beside `npm run dev`, which tells it its database", async ({
    client,
    assert,
  }) => {
    const person = await signUp(client, 'Promoted Beside Dev')
    // What `npm run dev` leaves for commands typed in another terminal: its settings and pid.
    const file = join(await mkdtemp(join(tmpdir(), 'purse-dev-')), 'dev-stack.json')
    await writeFile(
      file,
      JSON.stringify({
        pid: process.pid,
        env: {
          NODE_ENV: 'development',
          HOST: '127.0.0.1',
          PORT: '3333',
          LOG_LEVEL: 'warn',
          DATABASE_URL: process.env.DATABASE_URL,
          REDIS_URL: process.env.REDIS_URL,
        },
      })
    )
    // As a person types it: no NODE_ENV, PORT, HOST, LOG_LEVEL or DATABASE_URL of their own.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !['NODE_ENV', 'HOST', 'PORT', 'LOG_LEVEL', 'DATABASE_URL'].includes(name)
      )
    )
    const command = spawn(
      process.execPath,
      ['ace.js', 'users:promote', person.email, '--role=support'],
      { env: { ...env, PURSE_DEV_STACK_FILE: file }, stdio: ['ignore', 'ignore', 'pipe'] }
    )
    let said = ''
    command.stderr.on('data', (chunk) => (said += chunk))
    const code = await new Promise((resolve) => command.on('exit', resolve))
    assert.equal(code, 0, said)
    assert.include(said, 'using the development stack of `npm run dev`')
    const me = await client.get('/api/v1/me').bearerToken(person.access_token)
    assert.equal(me.body().role, 'support')
  })

  test('users:promote sets a role in one audited change; the same role again changes nothing', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client, 'Promoted Person')
    const admin = await staff(client, 'admin')
    const promote = (...flags: string[]) =>
      ace(['users:promote', person.email.toUpperCase(), ...flags], process.env.DATABASE_URL!)

    await promote('--role=support', '--reason=on call this week')
    await promote('--role=support')
    await assert.rejects(() => promote('--role=owner'), /exited with 2/)

    const me = await client.get('/api/v1/me').bearerToken(person.access_token)
    assert.equal(me.body().role, 'support')
    const trail = await client
      .get('/api/v1/admin/audit-log')
      .qs({ target_id: person.user.id })
      .bearerToken(admin.access_token)
    const rows = trail.body().data
    assert.lengthOf(rows, 1)
    assert.containSubset(rows[0], {
      actor: null,
      action: 'user.set_role',
      target_type: 'user',
      reason: 'on call this week',
      details: { from: 'user', to: 'support', via: 'command line' },
    })
  }).timeout(60_000)
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

  test('a payment made before a freeze is replayed to its retry; a new one is refused', async ({
    client,
    assert,
  }) => {
    const support = await staff(client, 'support')
    const [alice, carol] = [await fundedUser(client, 1_000), await fundedUser(client, 1_000)]
    const [bob, dave] = [await signUp(client), await signUp(client)]
    const pay = (from: typeof alice, to: typeof bob, key: string) =>
      client
        .post('/api/v1/transfers')
        .bearerToken(from.access_token)
        .header('Idempotency-Key', key)
        .json({ receiver_id: to.user.id, amount: 100 })
    const [fromFrozen, toFrozen] = [randomUUID(), randomUUID()]
    const firsts = [await pay(alice, bob, fromFrozen), await pay(carol, dave, toFrozen)]
    for (const first of firsts) first.assertStatus(201)
    for (const person of [alice, dave]) {
      ;(
        await client
          .post(`/api/v1/admin/users/${person.user.id}/freeze`)
          .bearerToken(support.access_token)
          .json({ reason: 'Suspected account takeover' })
      ).assertStatus(200)
    }
    // Past the few seconds the API remembers people for: it knows of the freeze.
    await new Promise((resolve) => setTimeout(resolve, 5_500))
    // A client that lost the first answer retries: it gets that answer, not a 403.
    const retries = [await pay(alice, bob, fromFrozen), await pay(carol, dave, toFrozen)]
    for (const [i, retry] of retries.entries()) {
      retry.assertStatus(201)
      assert.equal(retry.header('idempotent-replayed'), 'true')
      assert.equal(retry.body().id, firsts[i]!.body().id)
    }
    // Anything new is refused, with a key or without.
    for (const [from, to] of [
      [alice, bob],
      [carol, dave],
    ] as const) {
      const fresh = await pay(from, to, randomUUID())
      fresh.assertStatus(403)
      assert.equal(fresh.body().code, 'account_frozen')
      const keyless = await client
        .post('/api/v1/transfers')
        .bearerToken(from.access_token)
        .json({ receiver_id: to.user.id, amount: 100 })
      keyless.assertStatus(403)
    }
    assert.deepEqual(
      [
        await balanceOf(client, alice.access_token),
        await balanceOf(client, bob.access_token),
        await balanceOf(client, carol.access_token),
        await balanceOf(client, dave.access_token),
      ],
      [900, 100, 900, 100]
    )
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
    // An admin cannot move a frozen person's money either, and is told why.
    const admin = await staff(client, 'admin')
    const adjusted = await client
      .post(`/api/v1/admin/wallets/${frozen.body().wallets[0].id}/adjustments`)
      .bearerToken(admin.access_token)
      .json({ amount: 5, reason: 'Goodwill credit' })
    adjusted.assertStatus(403)
    assert.equal(adjusted.body().code, 'account_frozen')
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

  test('a frozen person opens no wallet and takes no new deposit; a retry is still replayed', async ({
    client,
    assert,
  }) => {
    const support = await staff(client, 'support')
    const person = await fundedUser(client, 100)
    const deposit = (currency: string, key = randomUUID()) =>
      client
        .post('/api/v1/deposits')
        .bearerToken(person.access_token)
        .header('Idempotency-Key', key)
        .json({ amount: 500, currency })
    const key = randomUUID()
    ;(await deposit('USD', key)).assertStatus(201)
    const set = (action: 'freeze' | 'unfreeze') => setStatus(client, support, person, action)
    ;(await set('freeze')).assertStatus(200)
    const open = (currency: string) =>
      client.post('/api/v1/wallets').bearerToken(person.access_token).json({ currency })
    const opened = await open('EUR')
    opened.assertStatus(403)
    assert.equal(opened.body().code, 'account_frozen')
    // The wallet they hold is shown, as it stands.
    const held = await open('USD')
    held.assertStatus(200)
    assert.equal(held.body().status, 'frozen')
    for (const currency of ['USD', 'EUR']) {
      const refused = await deposit(currency)
      refused.assertStatus(403)
      assert.equal(refused.body().code, 'account_frozen')
    }
    // A deposit made before the freeze, retried after it, gets its answer back.
    const retried = await deposit('USD', key)
    retried.assertStatus(201)
    assert.equal(retried.header('idempotent-replayed'), 'true')
    const wallets = await client.get('/api/v1/wallets').bearerToken(person.access_token)
    assert.deepEqual(
      wallets.body().data.map((w: any) => [w.currency, w.balance, w.status]),
      [['USD', 600, 'frozen']]
    )
    ;(await set('unfreeze')).assertStatus(200)
    const reopened = await open('EUR')
    reopened.assertStatus(200)
    assert.equal(reopened.body().status, 'active')
  })

  test('a freeze and an unfreeze at once leave the app and the ledger agreeing', async ({
    client,
    assert,
  }) => {
    const support = await staff(client, 'support')
    const other = await staff(client, 'support')
    const person = await fundedUser(client, 100)
    await client.post('/api/v1/wallets').bearerToken(person.access_token).json({ currency: 'EUR' })
    const set = (who: typeof support, action: 'freeze' | 'unfreeze') =>
      setStatus(client, who, person, action)
    for (let round = 0; round < 10; round++) {
      const [a, b] = await Promise.all([set(support, 'freeze'), set(other, 'unfreeze')])
      a.assertStatus(200)
      b.assertStatus(200)
      const shown = await client
        .get(`/api/v1/admin/users/${person.user.id}`)
        .bearerToken(support.access_token)
      const statuses = shown.body().wallets.map((w: any) => w.status)
      assert.deepEqual(
        statuses,
        statuses.map(() => shown.body().status),
        `round ${round}`
      )
    }
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
    // Another admin, with another reason, is told it was reversed already.
    const other = await client
      .post(`/api/v1/admin/transfers/${sent.body().id}/reversal`)
      .bearerToken((await staff(client, 'admin')).access_token)
      .json({ reason: 'Duplicate payment' })
    assert.equal(other.status(), 409)
    assert.equal(other.body().code, 'already_reversed')
    const audit = await db.from('audit_logs').where('target_id', sent.body().id)
    assert.lengthOf(audit, 1)
    const detail = await client
      .get(`/api/v1/admin/transfers/${sent.body().id}`)
      .bearerToken(admin.access_token)
    assert.equal(detail.body().ledger.reversed_amount, 400)
    assert.equal(detail.body().status, 'reversed')
    assert.isString(detail.body().reversed_by)
    // Both entries, named after their owners, with the balance after each.
    assert.deepEqual(
      detail.body().entries.map((e: any) => [e.direction, e.owner.id, e.amount, e.balance_after]),
      [
        ['debit', alice.user.id, 400, 600],
        ['credit', bob.user.id, 400, 400],
      ]
    )
    const reversedOnly = await client
      .get('/api/v1/admin/transfers')
      .qs({ user_id: alice.user.id, status: 'reversed' })
      .bearerToken(admin.access_token)
    assert.deepEqual(
      reversedOnly.body().data.map((t: any) => t.id),
      [sent.body().id]
    )
    const completedOnly = await client
      .get('/api/v1/admin/transfers')
      .qs({ user_id: alice.user.id, status: 'completed' })
      .bearerToken(admin.access_token)
    assert.notInclude(
      completedOnly.body().data.map((t: any) => t.id),
      sent.body().id
    )
    const inEuros = await client
      .get('/api/v1/admin/transfers')
      .qs({ user_id: alice.user.id, currency: 'eur' })
      .bearerToken(admin.access_token)
    assert.lengthOf(inEuros.body().data, 0)
    // Alice's whole history a row at a time, newest first: the reversal, the
    // payment, her deposit, each once.
    const pages: string[] = []
    let cursor: string | null = null
    do {
      const page: any = await client
        .get('/api/v1/admin/transfers')
        .qs({ user_id: alice.user.id, limit: 1, ...(cursor ? { cursor } : {}) })
        .bearerToken(admin.access_token)
      pages.push(...page.body().data.map((t: any) => t.kind))
      cursor = page.body().next_cursor
    } while (cursor)
    assert.deepEqual(pages, ['reversal', 'p2p', 'deposit'])
    // The sender sees it as reversed too.
    const mine = await client
      .get(`/api/v1/transfers/${sent.body().id}`)
      .bearerToken(alice.access_token)
    assert.equal(mine.body().status, 'reversed')
    const invariants = await client
      .get('/api/v1/admin/ledger/invariants')
      .bearerToken(admin.access_token)
    assert.isTrue(invariants.body().ok)
  })

  test('a reversal the receiver cannot cover is refused, and can be made once they can', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    // Asked again with the same reason, and with the reason since learned.
    for (const laterReason of ['Sent by mistake', 'Refund agreed by both']) {
      const alice = await fundedUser(client, 1_000)
      const bob = await signUp(client)
      const carol = await signUp(client)
      const pay = (from: typeof alice, to: typeof bob, amount: number) =>
        client
          .post('/api/v1/transfers')
          .bearerToken(from.access_token)
          .json({ receiver_id: to.user.id, amount })
      const sent = await pay(alice, bob, 400)
      await pay(bob, carol, 300)
      const reverse = (reason: string) =>
        client
          .post(`/api/v1/admin/transfers/${sent.body().id}/reversal`)
          .bearerToken(admin.access_token)
          .json({ reason })
      const refused = await reverse('Sent by mistake')
      refused.assertStatus(422)
      assert.equal(refused.body().code, 'insufficient_funds')
      assert.equal(await balanceOf(client, alice.access_token), 600)
      assert.equal(await balanceOf(client, bob.access_token), 100)
      assert.lengthOf(await db.from('audit_logs').where('target_id', sent.body().id), 0)
      // Carol pays it back; Bob is frozen meanwhile, which stops his payments
      // but not a reversal (how support undoes fraud).
      await pay(carol, bob, 300)
      ;(await setStatus(client, admin, bob, 'freeze')).assertStatus(200)
      const made = await reverse(laterReason)
      made.assertStatus(201)
      assert.equal(await balanceOf(client, alice.access_token), 1_000)
      assert.equal(await balanceOf(client, bob.access_token), 0)
      assert.lengthOf(await db.from('audit_logs').where('target_id', sent.body().id), 1)
      const again = await reverse('Sent by mistake')
      again.assertStatus(409)
      assert.equal(again.body().code, 'already_reversed')
      assert.equal(await balanceOf(client, alice.access_token), 1_000)
    }
  })

  test("a staff reason is shown in people's history: refused if it could mislead, cut whole if long", async ({
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
    const wallet = (await client.get('/api/v1/wallet').bearerToken(bob.access_token)).body()
    const actions = [
      `/api/v1/admin/transfers/${sent.body().id}/reversal`,
      `/api/v1/admin/users/${bob.user.id}/freeze`,
      `/api/v1/admin/wallets/${wallet.id}/adjustments`,
    ]
    // An override that makes text read backwards, a line that forges another.
    // Two characters (four UTF-16 units) is too short a reason, too.
    for (const reason of ['Refund \u202Efor order 1', 'Refund\nApproved by the CFO', '🛑🛑']) {
      for (const url of actions) {
        const refused = await client
          .post(url)
          .bearerToken(admin.access_token)
          .json({ reason, amount: 5 })
        refused.assertStatus(422)
        assert.equal(refused.body().code, 'validation_failed')
        assert.equal(refused.body().errors[0].field, 'reason')
      }
    }
    assert.equal(await balanceOf(client, bob.access_token), 400)
    assert.equal((await client.get('/api/v1/me').bearerToken(bob.access_token)).status(), 200)
    // Cut where a character would be split in two: the whole character goes.
    const reason = `${'x'.repeat(269)}😀 and more`
    const reversal = await client.post(actions[0]!).bearerToken(admin.access_token).json({ reason })
    reversal.assertStatus(201)
    assert.equal(await balanceOf(client, bob.access_token), 0)
    const history = await client.get('/api/v1/transfers').bearerToken(bob.access_token)
    const shown: string = history.body().data[0].description
    assert.isTrue(shown.isWellFormed())
    assert.isAtMost([...shown].length, 280)
    assert.isTrue(`Reversal: ${reason}`.startsWith(shown.replace(/…$/, '')))
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
      if (amount !== 0) assert.include(bad.body().errors[0].message, 'integer in minor units')
    }
    // A key is refused, not cut short: keys differing past a cut would name one adjustment.
    for (const key of ['k'.repeat(201), 'with space']) {
      const bad = await client
        .post(`/api/v1/admin/wallets/${wallet.id}/adjustments`)
        .header('idempotency-key', key)
        .bearerToken(admin.access_token)
        .json({ amount: 5, reason: 'Goodwill credit' })
      bad.assertStatus(422)
      assert.equal(bad.body().errors[0].field, 'Idempotency-Key')
    }
    assert.equal(await balanceOf(client, person.access_token), 350)
    const audit = await db.from('audit_logs').where('target_id', wallet.id)
    assert.deepEqual(
      audit.map((a) => a.action),
      ['wallet.adjust']
    )
  })
})

/** A member of staff freezes or unfreezes someone, with a reason. */
function setStatus(
  client: ApiClient,
  member: { access_token: string },
  someone: { user: { id: string } },
  action: 'freeze' | 'unfreeze'
) {
  return client
    .post(`/api/v1/admin/users/${someone.user.id}/${action}`)
    .bearerToken(member.access_token)
    .json({ reason: 'Suspected account takeover' })
}

/**
 * An admin credits a fresh person `amount` once per reason, while the app's
 * database refuses those credits' rows: a fault after ledger-core made them.
 */
async function creditsWhoseRowsAreRefused(client: ApiClient, amount: number, reasons: string[]) {
  const admin = await staff(client, 'admin')
  const person = await signUp(client)
  const wallet = (await client.get('/api/v1/wallet').bearerToken(person.access_token)).body()
  const repair = await refuseNewRows('transfers', `amount <> ${amount}`)
  const credits = []
  try {
    for (const reason of reasons) {
      credits.push(
        await client
          .post(`/api/v1/admin/wallets/${wallet.id}/adjustments`)
          .bearerToken(admin.access_token)
          .json({ amount, reason })
      )
    }
  } finally {
    await repair()
  }
  return { admin, person, wallet, credits }
}

test.group('Admin: rows that cannot be written', () => {
  test('an adjustment made whose rows cannot be written is still a 201; the follow-up audits it', async ({
    client,
    assert,
  }) => {
    const { FollowUp } = await import('#history/follow_up')
    const { admin, wallet, credits } = await creditsWhoseRowsAreRefused(client, 4_243, [
      'Goodwill credit',
    ])
    const credit = credits[0]!
    credit.assertStatus(201)
    assert.equal(credit.body().wallet.balance, 4_243)
    assert.lengthOf(await db.from('audit_logs').where('target_id', wallet.id), 0)
    assert.equal(await new FollowUp(0).run(), 1)
    const audit = await db.from('audit_logs').where('target_id', wallet.id)
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor_id, a.reason, a.request_id, a.details.restored]),
      [['wallet.adjust', admin.user.id, 'Goodwill credit', credit.header('x-request-id'), true]]
    )
  })

  test("a pass restores a person's movements with each one's request, its note due or not yet", async ({
    client,
    assert,
  }) => {
    const { FollowUp } = await import('#history/follow_up')
    const { person, wallet, credits } = await creditsWhoseRowsAreRefused(client, 4_244, [
      'First credit',
      'Second credit',
    ])
    for (const credit of credits) credit.assertStatus(201)
    // The first note is due; the second was written an instant before the pass looks.
    const notes = await db.from('unsettled_payments').where('user_id', person.user.id)
    assert.lengthOf(notes, 2)
    await db
      .from('unsettled_payments')
      .where('user_id', person.user.id)
      .where('request_id', credits[0]!.header('x-request-id')!)
      .update({ created_at: new Date(Date.now() - 120_000) })
    assert.equal(await new FollowUp(60_000).run(), 2)
    const audit = await db.from('audit_logs').where('target_id', wallet.id).orderBy('reason', 'asc')
    assert.deepEqual(
      audit.map((a) => [a.reason, a.request_id]),
      [
        ['First credit', credits[0]!.header('x-request-id')],
        ['Second credit', credits[1]!.header('x-request-id')],
      ]
    )
  })
})

test.group('Admin: separation of duties', () => {
  test('staff never act on their own account or payments; the refusal changes nothing', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const friend = await fundedUser(client, 100)
    await client
      .post('/api/v1/deposits')
      .bearerToken(admin.access_token)
      .json({ amount: 100 })
      .then((r) => r.assertStatus(201))
    const paid = await client
      .post('/api/v1/transfers')
      .bearerToken(friend.access_token)
      .json({ receiver_id: admin.user.id, amount: 40 })
    paid.assertStatus(201)
    const own = (await client.get('/api/v1/wallet').bearerToken(admin.access_token)).body()
    for (const [url, body] of [
      [`/api/v1/admin/wallets/${own.id}/adjustments`, { amount: 1_000_000, reason: 'My bonus' }],
      [`/api/v1/admin/transfers/${paid.body().id}/reversal`, { reason: 'Undo my payment' }],
      [`/api/v1/admin/users/${admin.user.id}/freeze`, { reason: 'Freeze myself' }],
      [`/api/v1/admin/users/${admin.user.id}/unfreeze`, { reason: 'Unfreeze myself' }],
    ] as const) {
      const answer = await client.post(url).bearerToken(admin.access_token).json(body)
      assert.equal(answer.status(), 403, url)
      assert.equal(answer.body().code, 'forbidden')
    }
    assert.equal(await balanceOf(client, admin.access_token), 140)
    assert.equal(await balanceOf(client, friend.access_token), 60)
    const audit = await db.from('audit_logs').where('actor_id', admin.user.id)
    assert.lengthOf(audit, 0)
    // Another admin may.
    const colleague = await staff(client, 'admin')
    const reversal = await client
      .post(`/api/v1/admin/transfers/${paid.body().id}/reversal`)
      .bearerToken(colleague.access_token)
      .json({ reason: 'Paid by mistake' })
    reversal.assertStatus(201)
  })
})

test.group('Admin: overview and statements', () => {
  test("the overview counts today's transfers, refusals and frozen people", async ({
    client,
    assert,
  }) => {
    const support = await staff(client, 'support')
    const since = new Date(Date.now() - 1000).toISOString()
    const before = (
      await client.get('/api/v1/admin/overview').qs({ since }).bearerToken(support.access_token)
    ).body()
    const heldForUsers = async () => {
      const report = await client
        .get('/api/v1/admin/ledger/invariants')
        .bearerToken(support.access_token)
      return Number(
        report.body().currencies.find((c: any) => c.currency === 'USD')?.user_balance_sum ?? 0
      )
    }
    const heldBefore = await heldForUsers()
    const alice = await fundedUser(client, 500)
    const bob = await signUp(client)
    await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 200 })
      .then((r) => r.assertStatus(201))
    const refused = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 10_000 })
    refused.assertStatus(422)
    const overview = await client
      .get('/api/v1/admin/overview')
      .qs({ since })
      .bearerToken(support.access_token)
    overview.assertStatus(200)
    const after = overview.body()
    assert.equal(after.transfers_today - before.transfers_today, 2)
    assert.equal(after.refused_today - before.refused_today, 1)
    const usd = after.currencies.find((c: any) => c.currency === 'USD')
    const usdBefore = before.currencies.find((c: any) => c.currency === 'USD')
    assert.equal(Number(usd.moved_today) - Number(usdBefore?.moved_today ?? 0), 700)
    // The ledger's part is one shared scan at most 15 s old; the money held is its figure.
    assert.isTrue(after.ledger.ok)
    assert.match(usd.held_for_users, /^\d+$/)
    assert.equal((await heldForUsers()) - heldBefore, 500)
    const row = await db.from('refused_transfers').where('sender_id', alice.user.id).firstOrFail()
    assert.equal(row.code, 'insufficient_funds')
    assert.equal(Number(row.amount), 10_000)
    const bad = await client
      .get('/api/v1/admin/overview')
      .qs({ since: 'yesterday' })
      .bearerToken(support.access_token)
    bad.assertStatus(422)
  })

  test('support reads a user wallet statement as JSON or CSV; system wallets stay hidden', async ({
    client,
    assert,
  }) => {
    const support = await staff(client, 'support')
    const alice = await fundedUser(client, 900)
    const wallet = (await client.get('/api/v1/wallet').bearerToken(alice.access_token)).body()
    const json = await client
      .get(`/api/v1/admin/wallets/${wallet.id}/statement`)
      .bearerToken(support.access_token)
    json.assertStatus(200)
    assert.deepEqual(
      json.body().data.map((l: any) => [l.direction, l.amount, l.balance_after, l.kind]),
      [['credit', 900, 900, 'deposit']]
    )
    const csv = await client
      .get(`/api/v1/admin/wallets/${wallet.id}/statement`)
      .bearerToken(support.access_token)
      .accept('text/csv')
    csv.assertStatus(200)
    assert.lengthOf(csv.text().trim().split('\r\n'), 2)
    // A period that ends before it starts is a mistake, said so, on both statement routes.
    const backwards = { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }
    for (const [url, token] of [
      [`/api/v1/admin/wallets/${wallet.id}/statement`, support.access_token],
      ['/api/v1/wallets/USD/statement', alice.access_token],
    ]) {
      const refused = await client.get(url!).qs(backwards).bearerToken(token!)
      refused.assertStatus(422)
      assert.equal(refused.body().errors[0].field, 'to')
    }
    const untilNow = await client
      .get(`/api/v1/admin/wallets/${wallet.id}/statement`)
      .qs({ to: new Date(Date.now() + 60_000).toISOString() })
      .bearerToken(support.access_token)
    assert.lengthOf(untilNow.body().data, 1)
    const deposit = (await client.get('/api/v1/transfers').bearerToken(alice.access_token)).body()
      .data[0]
    const detail = await client
      .get(`/api/v1/admin/transfers/${deposit.id}`)
      .bearerToken(support.access_token)
    const funding = detail.body().entries.find((e: any) => e.owner.type === 'system')
    assert.equal(funding.owner.name, 'system: funding')
    const hidden = await client
      .get(`/api/v1/admin/wallets/${funding.account_id}/statement`)
      .bearerToken(support.access_token)
    hidden.assertStatus(404)
  })

  test('the audit log filters by target type and time', async ({ client, assert }) => {
    const admin = await staff(client, 'admin')
    const person = await signUp(client)
    const from = new Date(Date.now() - 1000).toISOString()
    await client
      .post(`/api/v1/admin/users/${person.user.id}/freeze`)
      .bearerToken(admin.access_token)
      .json({ reason: 'Fraud check' })
      .then((r) => r.assertStatus(200))
    const users = await client
      .get('/api/v1/admin/audit-log')
      .qs({ target_type: 'user', from, actor_id: admin.user.id })
      .bearerToken(admin.access_token)
    assert.deepEqual(
      users.body().data.map((a: any) => [a.action, a.target_id, a.reason]),
      [['user.freeze', person.user.id, 'Fraud check']]
    )
    const wallets = await client
      .get('/api/v1/admin/audit-log')
      .qs({ target_type: 'wallet', actor_id: admin.user.id })
      .bearerToken(admin.access_token)
    assert.lengthOf(wallets.body().data, 0)
    const later = await client
      .get('/api/v1/admin/audit-log')
      .qs({ to: from, actor_id: admin.user.id })
      .bearerToken(admin.access_token)
    assert.lengthOf(later.body().data, 0)
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

  test('a period opens and closes with its balances, with entries in it or none', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const pay = (amount: number) =>
      client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount })
    const statement = async (range: { from?: Date; to?: Date }) => {
      const answer = await client
        .get('/api/v1/wallets/USD/statement')
        .qs({ from: range.from?.toISOString(), to: range.to?.toISOString() })
        .bearerToken(alice.access_token)
      answer.assertStatus(200)
      return answer.body()
    }
    const tick = () => new Promise((resolve) => setTimeout(resolve, 20))
    ;(await pay(100)).assertStatus(201)
    await tick()
    const start = new Date()
    await tick()
    ;(await pay(200)).assertStatus(201)
    ;(await pay(50)).assertStatus(201)
    await tick()
    const end = new Date()
    await tick()
    const later = new Date()
    await tick()
    ;(await pay(25)).assertStatus(201)
    // Two payments in the period: 900 before, 650 after.
    const period = await statement({ from: start, to: end })
    assert.deepEqual(
      [period.opening_balance, period.data.length, period.closing_balance],
      [900, 2, 650]
    )
    // Nothing in the period: both balances are the one it held all along.
    const quiet = await statement({ from: end, to: later })
    assert.deepEqual(
      [quiet.opening_balance, quiet.data.length, quiet.closing_balance],
      [650, 0, 650]
    )
    const before = await statement({ to: start })
    assert.deepEqual(
      [before.opening_balance, before.data.length, before.closing_balance],
      [0, 2, 900]
    )
    const whole = await statement({})
    assert.deepEqual([whole.opening_balance, whole.closing_balance], [0, 625])
  })

  test('a statement of a currency the person holds no wallet in is 404, and opens none', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const statement = await client
      .get('/api/v1/wallets/GBP/statement')
      .bearerToken(person.access_token)
    statement.assertStatus(404)
    assert.equal(statement.body().code, 'wallet_not_found')
    const wallets = await client.get('/api/v1/wallets').bearerToken(person.access_token)
    assert.deepEqual(
      wallets.body().data.map((w: { currency: string }) => w.currency),
      ['USD']
    )
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
    assert.match(ok.text(), /purse_api_db_pool_connections\{state="used"\} \d+/)
    assert.include(ok.text(), 'purse_api_ledger_breaker_state')
    // Earlier tests in this file paid and were refused: both are counted by currency and outcome.
    assert.match(
      ok.text(),
      /purse_api_transfers_total\{kind="p2p",currency="USD",outcome="completed"\} \d+/
    )
    assert.match(
      ok.text(),
      /purse_api_transfers_total\{kind="p2p",currency="USD",outcome="insufficient_funds"\} \d+/
    )
  })
})
