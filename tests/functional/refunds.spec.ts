import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { balanceOf, fundedUser, signUp, staff, ledgerHolds } from '#tests/support/people'

type Person = Awaited<ReturnType<typeof signUp>>

/** Alice pays Bob `amount`; returns both and the payment's id. */
async function paid(client: ApiClient, amount: number) {
  const alice = await fundedUser(client, 10_000, 'Alice Payer')
  const bob = await signUp(client, 'Bob Paid')
  const payment = await client
    .post('/api/v1/transfers')
    .bearerToken(alice.access_token)
    .header('idempotency-key', randomUUID())
    .json({ receiver_email: bob.email, amount, description: 'Dinner' })
  payment.assertStatus(201)
  return { alice, bob, id: payment.body().id as string }
}

function refund(
  client: ApiClient,
  person: Person,
  id: string,
  body: Record<string, unknown> = {},
  key = randomUUID()
) {
  return client
    .post(`/api/v1/transfers/${id}/refunds`)
    .bearerToken(person.access_token)
    .header('idempotency-key', key)
    .json(body)
}

async function transfer(client: ApiClient, person: Person, id: string) {
  return (await client.get(`/api/v1/transfers/${id}`).bearerToken(person.access_token)).body()
}

test.group('Refunds by the person paid', () => {
  test('a full refund sends it all back; both see it, linked to the payment', async ({
    client,
    assert,
  }) => {
    const { alice, bob, id } = await paid(client, 1_000)
    const answer = await refund(client, bob, id, { reason: 'Paid twice by mistake' })
    answer.assertStatus(201)
    assert.deepInclude(answer.body(), {
      kind: 'refund',
      amount: 1_000,
      reversal_of: id,
      description: 'Paid twice by mistake',
    })
    assert.equal(answer.body().sender.full_name, 'Bob Paid')
    assert.equal(answer.body().receiver.full_name, 'Alice Payer')
    assert.equal(await balanceOf(client, alice.access_token), 10_000)
    assert.equal(await balanceOf(client, bob.access_token), 0)
    const original = await transfer(client, alice, id)
    assert.deepInclude(original, { refunded_amount: 1_000, status: 'completed' })

    for (const [person, kinds] of [
      [alice, ['refund', 'p2p', 'deposit']],
      [bob, ['refund', 'p2p']],
    ] as const) {
      const history = await client.get('/api/v1/transfers').bearerToken(person.access_token)
      assert.deepEqual(
        history.body().data.map((t: { kind: string }) => t.kind),
        kinds
      )
    }
    const events = await client.get('/api/v1/events').bearerToken(alice.access_token)
    assert.equal(events.body().data[0].type, 'transfer.refunded')
    const statement = await client
      .get('/api/v1/wallets/USD/statement')
      .bearerToken(bob.access_token)
    assert.include(JSON.stringify(statement.body()), 'refund')
  })

  test('partial refunds add up to the payment and never past it', async ({ client, assert }) => {
    const { alice, bob, id } = await paid(client, 1_000)
    ;(await refund(client, bob, id, { amount: 300 })).assertStatus(201)
    ;(await refund(client, bob, id, { amount: 200 })).assertStatus(201)
    assert.equal((await transfer(client, bob, id)).refunded_amount, 500)
    const over = await refund(client, bob, id, { amount: 600 })
    over.assertStatus(422)
    assert.equal(over.body().code, 'refund_exceeds_transfer')
    assert.match(over.body().detail, /Only 5\.00 USD of this payment is left/)
    const rest = await refund(client, bob, id)
    rest.assertStatus(201)
    assert.equal(rest.body().amount, 500)
    const none = await refund(client, bob, id, { amount: 1 })
    none.assertStatus(409)
    assert.equal(none.body().code, 'already_reversed')
    assert.equal(await balanceOf(client, alice.access_token), 10_000)
    assert.equal(await balanceOf(client, bob.access_token), 0)
  })

  test('refunds at the same moment never give back more than was paid', async ({
    client,
    assert,
  }) => {
    const { alice, bob, id } = await paid(client, 1_000)
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => refund(client, bob, id, { amount: 300 }))
    )
    const made = answers.filter((a) => a.status() === 201)
    assert.lengthOf(made, 3)
    for (const refused of answers.filter((a) => a.status() !== 201))
      assert.include(['refund_exceeds_transfer', 'idempotency_key_in_use'], refused.body().code)
    assert.equal((await transfer(client, bob, id)).refunded_amount, 900)
    assert.equal(await balanceOf(client, bob.access_token), 100)
    assert.equal(await balanceOf(client, alice.access_token), 9_900)
    assert.isTrue(await ledgerHolds(client))
  })

  test('a refund of a payment whose description fills its 280 characters still goes through', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 10_000)
    const bob = await signUp(client)
    const payment = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('idempotency-key', randomUUID())
      .json({ receiver_email: bob.email, amount: 500, description: 'é'.repeat(280) })
    const answer = await refund(client, bob, payment.body().id)
    answer.assertStatus(201)
    assert.equal([...answer.body().description].length, 280)
  })

  test('a retry with the same key refunds once', async ({ client, assert }) => {
    const { bob, id } = await paid(client, 1_000)
    const key = randomUUID()
    const first = await refund(client, bob, id, { amount: 400 }, key)
    const again = await refund(client, bob, id, { amount: 400 }, key)
    first.assertStatus(201)
    assert.equal(again.body().id, first.body().id)
    assert.equal(again.header('idempotent-replayed'), 'true')
    assert.equal((await transfer(client, bob, id)).refunded_amount, 400)
  })

  test('only the person paid refunds, only a payment, only with the money', async ({
    client,
    assert,
  }) => {
    const { alice, bob, id } = await paid(client, 1_000)
    const stranger = await fundedUser(client, 1_000)
    const bySender = await refund(client, alice, id)
    bySender.assertStatus(403)
    ;(await refund(client, stranger, id)).assertStatus(404)
    ;(await refund(client, bob, randomUUID())).assertStatus(404)
    ;(await refund(client, bob, 'not-a-uuid')).assertStatus(404)
    const deposit = (
      await client.get('/api/v1/transfers').bearerToken(stranger.access_token)
    ).body().data[0].id
    const ofDeposit = await refund(client, stranger, deposit)
    ofDeposit.assertStatus(422)
    for (const body of [
      { amount: 0 },
      { amount: -1 },
      { amount: 1.5 },
      { amount: '100' },
      { reason: 'x'.repeat(281) },
      { reason: 'evil\u202Etxt' },
    ]) {
      const answer = await refund(client, bob, id, body)
      assert.equal(answer.status(), 422, JSON.stringify(body))
      assert.equal(answer.body().code, 'validation_failed')
    }
    const first = await refund(client, bob, id, { amount: 100 })
    const ofRefund = await refund(client, alice, first.body().id)
    ofRefund.assertStatus(422)

    // Bob spends what he was paid: nothing left to give back.
    const carol = await signUp(client)
    await client
      .post('/api/v1/transfers')
      .bearerToken(bob.access_token)
      .header('idempotency-key', randomUUID())
      .json({ receiver_email: carol.email, amount: 900 })
      .then((r) => r.assertStatus(201))
    const broke = await refund(client, bob, id, { amount: 500 })
    broke.assertStatus(422)
    assert.equal(broke.body().code, 'insufficient_funds')
    assert.equal((await transfer(client, bob, id)).refunded_amount, 100)
  })

  test('a frozen person neither refunds nor is refunded; staff reverse what is left', async ({
    client,
    assert,
  }) => {
    const { alice, bob, id } = await paid(client, 1_000)
    const admin = await staff(client, 'admin')
    ;(await refund(client, bob, id, { amount: 250 })).assertStatus(201)
    await client
      .post(`/api/v1/admin/users/${bob.user.id}/freeze`)
      .bearerToken(admin.access_token)
      .json({ reason: 'Checking a fraud report' })
      .then((r) => r.assertStatus(200))
    const frozen = await refund(client, bob, id, { amount: 100 })
    frozen.assertStatus(403)
    assert.equal(frozen.body().code, 'account_frozen')

    const reversal = await client
      .post(`/api/v1/admin/transfers/${id}/reversal`)
      .bearerToken(admin.access_token)
      .json({ reason: 'Fraud confirmed' })
    reversal.assertStatus(201)
    const original = await transfer(client, alice, id)
    assert.deepInclude(original, { status: 'reversed', refunded_amount: 250 })
    assert.equal(await balanceOf(client, alice.access_token), 10_000)
    assert.isTrue(await ledgerHolds(client))
  })
})
