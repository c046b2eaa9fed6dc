import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import limitsConfig from '#config/limits'
import { clock } from '#platform/clock'
import { balanceOf, fundedUser, signUp, staff, ledgerHolds } from '#tests/support/people'

type Person = Awaited<ReturnType<typeof signUp>>

function send(client: ApiClient, from: Person, to: Person, amount: number, key = randomUUID()) {
  return client
    .post('/api/v1/transfers')
    .bearerToken(from.access_token)
    .header('idempotency-key', key)
    .json({ receiver_email: to.email, amount })
}

function setLimit(
  client: ApiClient,
  admin: Person,
  person: Person,
  rule: string,
  value: number | null
) {
  return client
    .put(`/api/v1/admin/users/${person.user.id}/limits`)
    .bearerToken(admin.access_token)
    .json({ currency: 'USD', rule, value, reason: 'Limit agreed with the customer' })
}

async function limitOf(client: ApiClient, person: Person, rule: string) {
  const answer = await client.get('/api/v1/limits?currency=usd').bearerToken(person.access_token)
  return answer.body().data.find((l: { rule: string }) => l.rule === rule)
}

test.group('Payment limits', (group) => {
  group.each.setup(() => {
    limitsConfig.enabled = true
    return () => {
      limitsConfig.enabled = false
      clock.now = () => Date.now()
    }
  })

  test('a payment past a limit is refused with the rule, the limit, what is left and when', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const sender = await fundedUser(client, 50_000)
    const receiver = await signUp(client)
    ;(await setLimit(client, admin, sender, 'daily', 10_000)).assertStatus(200)
    ;(await send(client, sender, receiver, 6_000)).assertStatus(201)
    const refused = await send(client, sender, receiver, 5_000)
    refused.assertStatus(422)
    assert.deepInclude(refused.body(), {
      code: 'limit_exceeded',
      rule: 'daily',
      limit: 10_000,
      remaining: 4_000,
    })
    assert.match(refused.body().detail, /40\.00 USD is left/)
    assert.isAbove(Date.parse(refused.body().resets_at), Date.now() + 23 * 3_600_000)
    assert.equal(await balanceOf(client, sender.access_token), 44_000)
    const daily = await limitOf(client, sender, 'daily')
    assert.deepInclude(daily, { limit: 10_000, used: 6_000, remaining: 4_000, overridden: true })
    ;(await send(client, sender, receiver, 4_000)).assertStatus(201)
  })

  test('fifty payments at once never pass a daily limit together', async ({ client, assert }) => {
    const admin = await staff(client, 'admin')
    const sender = await fundedUser(client, 100_000)
    const receiver = await signUp(client)
    await setLimit(client, admin, sender, 'daily', 10_000)
    await setLimit(client, admin, sender, 'hourly_count', 1_000)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => send(client, sender, receiver, 300))
    )
    const made = answers.filter((a) => a.status() === 201).length
    for (const refused of answers.filter((a) => a.status() !== 201))
      assert.equal(refused.body().code, 'limit_exceeded')
    assert.equal(made, 33)
    assert.equal(await balanceOf(client, receiver.access_token), 9_900)
    assert.equal((await limitOf(client, sender, 'daily')).used, 9_900)
    assert.isTrue(await ledgerHolds(client))
  })

  test('refused payments count nothing; a retry of one payment counts once', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const sender = await fundedUser(client, 1_000)
    const receiver = await signUp(client)
    await setLimit(client, admin, sender, 'daily', 10_000)
    const broke = await send(client, sender, receiver, 5_000)
    broke.assertStatus(422)
    assert.equal(broke.body().code, 'insufficient_funds')
    const key = randomUUID()
    ;(await send(client, sender, receiver, 600, key)).assertStatus(201)
    ;(await send(client, sender, receiver, 600, key)).assertStatus(201)
    assert.equal((await limitOf(client, sender, 'daily')).used, 600)
  })

  test('payments an hour are counted, and the count frees up an hour later', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const sender = await fundedUser(client, 1_000)
    const receiver = await signUp(client)
    await setLimit(client, admin, sender, 'hourly_count', 2)
    ;(await send(client, sender, receiver, 10)).assertStatus(201)
    ;(await send(client, sender, receiver, 10)).assertStatus(201)
    const third = await send(client, sender, receiver, 10)
    third.assertStatus(422)
    assert.deepInclude(third.body(), { rule: 'hourly_count', limit: 2, remaining: 0 })
    const start = Date.now()
    clock.now = () => start + 61 * 60_000
    ;(await send(client, sender, receiver, 10)).assertStatus(201)
  })

  test('new accounts have a lower daily limit for their first week', async ({ client, assert }) => {
    const sender = await fundedUser(client, 200_000)
    const receiver = await signUp(client)
    ;(await send(client, sender, receiver, 60_000)).assertStatus(201)
    const refused = await send(client, sender, receiver, 50_000)
    refused.assertStatus(422)
    assert.deepInclude(refused.body(), { rule: 'new_account_daily', remaining: 40_000 })
    const start = Date.now()
    clock.now = () => start + 8 * 86_400_000
    assert.isUndefined(await limitOf(client, sender, 'new_account_daily'))
    ;(await send(client, sender, receiver, 50_000)).assertStatus(201)
  })

  test('only admins set limits, never their own, each audited; wrong values change nothing', async ({
    client,
    assert,
  }) => {
    const admin = await staff(client, 'admin')
    const support = await staff(client, 'support')
    const person = await signUp(client)
    ;(await setLimit(client, support, person, 'daily', 1)).assertStatus(403)
    ;(await setLimit(client, admin, admin, 'daily', 1)).assertStatus(403)
    const seen = await client
      .get(`/api/v1/admin/users/${person.user.id}/limits?currency=USD`)
      .bearerToken(support.access_token)
    seen.assertStatus(200)
    assert.isFalse(seen.body().data.find((l: { rule: string }) => l.rule === 'daily').overridden)
    for (const [rule, value] of [
      ['daily', -1],
      ['daily', 1.5],
      ['weekly', 10],
      ['daily', '10'],
    ] as const) {
      const answer = await setLimit(client, admin, person, rule, value as never)
      assert.equal(answer.status(), 422, `${rule} ${value}`)
    }
    const unheld = await client
      .put(`/api/v1/admin/users/${person.user.id}/limits`)
      .bearerToken(admin.access_token)
      .json({ currency: 'XXX', rule: 'daily', value: 10, reason: 'Limit agreed with the customer' })
    unheld.assertStatus(422)
    assert.equal(unheld.body().code, 'currency_not_supported')
    ;(
      await client.get('/api/v1/limits?currency=XXX').bearerToken(person.access_token)
    ).assertStatus(422)
    ;(await setLimit(client, admin, person, 'daily', 2_000)).assertStatus(200)
    ;(await setLimit(client, admin, person, 'daily', null)).assertStatus(200)
    assert.isFalse((await limitOf(client, person, 'daily')).overridden)
    const log = await client
      .get('/api/v1/admin/audit-log')
      .qs({ target_id: person.user.id, action: 'user.set_limit' })
      .bearerToken(admin.access_token)
    assert.lengthOf(log.body().data, 2)
  })
})
