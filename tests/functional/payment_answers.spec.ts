import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { balanceOf, fundedUser, signUp, staff } from '#tests/support/people'

/** Every refusal says what is wrong in words a person or a partner can act on. */
test.group('Payment answers', () => {
  test('a receiver email that is {$self} is a validation error naming the field')
    .with(['', '   ', 'bob', 'bob@', '@example.com', 'bob example.com'])
    .run(async ({ client, assert }, email) => {
      const alice = await fundedUser(client, 1_000)
      const response = await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_email: email, amount: 100 })
      response.assertStatus(422)
      assert.equal(response.body().code, 'validation_failed')
      assert.equal(response.body().errors[0].field, 'receiver_email')
      assert.equal(await balanceOf(client, alice.access_token), 1_000)
    })

  test('naming the receiver twice, by email and by id, is refused and moves nothing', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const response = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_email: bob.email, receiver_id: bob.user.id, amount: 100 })
    response.assertStatus(422)
    assert.equal(response.body().code, 'validation_failed')
    assert.equal(response.body().errors[0].field, 'receiver_id')
    assert.equal(await balanceOf(client, alice.access_token), 1_000)
    assert.equal(await balanceOf(client, bob.access_token), 0)
  })

  test('an amount past the maximum is told the maximum, written as {$self}')
    .with(['1e20', '100000001', '99999999999999999999'])
    .run(async ({ client, assert }, amount) => {
      const alice = await fundedUser(client, 1_000)
      const bob = await signUp(client)
      const response = await client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .unsafeJson(`{"receiver_id":"${bob.user.id}","amount":${amount}}`)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'amount')
      assert.include(response.body().errors[0].message, 'at most 100000000')
      assert.equal(await balanceOf(client, alice.access_token), 1_000)
    })

  test('insufficient funds says what the wallet has available and what the payment needs', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_250)
    const bob = await signUp(client)
    const response = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 5_000 })
    response.assertStatus(422)
    assert.equal(response.body().code, 'insufficient_funds')
    assert.equal(
      response.body().detail,
      'Your USD wallet has 12.50 USD available; this payment needs 50.00 USD.'
    )
    // No ledger account id: the answer is for people.
    assert.notMatch(response.body().detail, /[0-9a-f]{8}-[0-9a-f]{4}/)
    assert.equal(await balanceOf(client, alice.access_token), 1_250)
  })

  test('currency codes are taken in any case and answered in upper case, everywhere', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 100, currency: 'usd' })
    sent.assertStatus(201)
    assert.equal(sent.body().currency, 'USD')
    const deposit = await client
      .post('/api/v1/deposits')
      .bearerToken(alice.access_token)
      .json({ amount: 100, currency: 'Usd' })
    deposit.assertStatus(201)
    assert.equal(deposit.body().currency, 'USD')
    const statement = await client
      .get('/api/v1/wallets/usd/statement')
      .bearerToken(alice.access_token)
    statement.assertStatus(200)
    assert.equal(statement.body().currency, 'USD')
    const support = await staff(client, 'support')
    const listed = await client
      .get('/api/v1/admin/transfers')
      .qs({ user_id: alice.user.id, currency: 'usd' })
      .bearerToken(support.access_token)
    listed.assertStatus(200)
    assert.deepEqual(
      listed.body().data.map((t: { currency: string }) => t.currency),
      ['USD', 'USD', 'USD']
    )
  })

  test('the old USD wallet route answers, marked deprecated with its successor', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 300)
    const old = await client.get('/api/v1/wallet').bearerToken(alice.access_token)
    old.assertStatus(200)
    assert.equal(old.body().balance, 300)
    assert.match(old.header('deprecation')!, /^@\d+$/)
    assert.isAbove(Date.parse(old.header('sunset')!), Date.now())
    assert.include(old.header('link')!, '</api/v1/wallets>; rel="successor-version"')
  })

  test('a reversal and an adjustment answer as Purse transfers, not ledger records', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000, 'Alice Payer')
    const bob = await signUp(client, 'Bob Payee')
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 400 })
    const admin = await staff(client, 'admin')
    const reversal = await client
      .post(`/api/v1/admin/transfers/${sent.body().id}/reversal`)
      .bearerToken(admin.access_token)
      .json({ reason: 'Sent by mistake' })
    reversal.assertStatus(201)
    assert.include(reversal.body(), { kind: 'reversal', amount: 400, currency: 'USD' })
    assert.deepEqual(reversal.body().sender, { id: bob.user.id, full_name: 'Bob Payee' })
    assert.deepEqual(reversal.body().receiver, { id: alice.user.id, full_name: 'Alice Payer' })
    assert.notProperty(reversal.body(), 'debit_account_id')

    const wallets = await client.get('/api/v1/wallets').bearerToken(alice.access_token)
    const adjustment = await client
      .post(`/api/v1/admin/wallets/${wallets.body().data[0].id}/adjustments`)
      .header('idempotency-key', randomUUID())
      .bearerToken(admin.access_token)
      .json({ amount: -50, reason: 'Fee charged twice' })
    adjustment.assertStatus(201)
    assert.include(adjustment.body().transfer, { kind: 'adjustment', amount: 50 })
    assert.deepEqual(adjustment.body().transfer.sender, {
      id: alice.user.id,
      full_name: 'Alice Payer',
    })
    assert.isNull(adjustment.body().transfer.receiver)
    assert.equal(adjustment.body().wallet.balance, 950)
    const row = await db.from('transfers').where('id', adjustment.body().transfer.id).first()
    assert.equal(row.kind, 'adjustment')
  })

  test("the docs link to the SDK's README, served beside them", async ({ client, assert }) => {
    const contract = await client.get('/openapi.json')
    assert.include(contract.body().info.description, '](/docs/sdk)')
    const readme = await client.get('/docs/sdk')
    readme.assertStatus(200)
    assert.include(readme.header('content-type'), 'text/markdown')
    assert.include(readme.text(), '# @purse/sdk')
  })
})
