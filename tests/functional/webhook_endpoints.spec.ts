import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { fundedUser, signUp, staff } from '#tests/support/people'

/** An https URL to a public address (a literal IP: no DNS needed here). */
const public_url = 'https://93.184.216.34/purse/webhooks'

test.group('Webhook endpoints', () => {
  test('an endpoint is made with its secret shown once, kept encrypted, and managed by its owner', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const created = await client
      .post('/api/v1/webhook-endpoints')
      .bearerToken(person.access_token)
      .json({ url: public_url, event_types: ['transfer.completed'], description: 'Orders' })
    created.assertStatus(201)
    const { id, secret } = created.body()
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    const row = await db.from('webhook_endpoints').where('id', id).first()
    assert.notInclude(JSON.stringify(row), secret.slice(6))
    const listed = await client.get('/api/v1/webhook-endpoints').bearerToken(person.access_token)
    assert.notInclude(listed.text(), secret)
    assert.deepEqual(listed.body().data[0].event_types, ['transfer.completed'])

    const disabled = await client
      .patch(`/api/v1/webhook-endpoints/${id}`)
      .bearerToken(person.access_token)
      .json({ enabled: false, event_types: [] })
    disabled.assertStatus(200)
    assert.isFalse(disabled.body().enabled)
    const rotated = await client
      .post(`/api/v1/webhook-endpoints/${id}/rotate-secret`)
      .bearerToken(person.access_token)
    rotated.assertStatus(200)
    assert.notEqual(rotated.body().secret, secret)
    assert.isAbove(Date.parse(rotated.body().previous_secret_expires_at), Date.now())
    const attempts = await client
      .get(`/api/v1/webhook-endpoints/${id}/attempts`)
      .bearerToken(person.access_token)
    assert.deepEqual(attempts.body(), { data: [], next_cursor: null })

    const stranger = await signUp(client)
    ;(
      await client.get(`/api/v1/webhook-endpoints/${id}`).bearerToken(stranger.access_token)
    ).assertStatus(404)
    ;(
      await client.delete(`/api/v1/webhook-endpoints/${id}`).bearerToken(stranger.access_token)
    ).assertStatus(404)
    ;(
      await client.delete(`/api/v1/webhook-endpoints/${id}`).bearerToken(person.access_token)
    ).assertStatus(204)
    assert.isNull(await db.from('webhook_endpoints').where('id', id).first())
  })

  test('a URL reaching a non-public address is refused: {$self}')
    .with([
      'http://169.254.169.254/latest/meta-data',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.1/hook',
      'https://192.168.1.20/hook',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://localhost/hook',
      'https://0.0.0.0/hook',
      'https://224.0.0.1/hook',
      'https://100.64.0.1/hook',
      'http://93.184.216.34/hook',
      'https://user:pass@93.184.216.34/hook',
      'ftp://93.184.216.34/hook',
      'not a url',
    ])
    .run(async ({ client, assert }, url) => {
      const person = await signUp(client)
      const refused = await client
        .post('/api/v1/webhook-endpoints')
        .bearerToken(person.access_token)
        .json({ url })
      refused.assertStatus(422)
      assert.equal(refused.body().errors[0].field, 'url')
      assert.lengthOf(await db.from('webhook_endpoints').where('user_id', person.user.id), 0)
    })

  test("a new event queues a delivery for each endpoint that wants it, in the change's transaction", async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const endpoint = async (event_types: string[]) =>
      (
        await client
          .post('/api/v1/webhook-endpoints')
          .bearerToken(bob.access_token)
          .json({ url: public_url, event_types })
      ).body().id as string
    const wantsTransfers = await endpoint(['transfer.completed'])
    const wantsAll = await endpoint([])
    const wantsFreezes = await endpoint(['account.frozen'])
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 100 })
    const event = await db
      .from('events')
      .where({ subject_id: sent.body().id, user_id: bob.user.id })
      .first()
    const deliveries = await db.from('webhook_deliveries').where('event_id', event.id)
    assert.sameMembers(
      deliveries.map((d) => d.endpoint_id),
      [wantsTransfers, wantsAll]
    )
    assert.notInclude(
      deliveries.map((d) => d.endpoint_id),
      wantsFreezes
    )
  })

  test('staff see endpoints and attempts and resend an event, audited; a key needs webhooks:manage', async ({
    client,
    assert,
  }) => {
    const person = await fundedUser(client, 100)
    const created = await client
      .post('/api/v1/webhook-endpoints')
      .bearerToken(person.access_token)
      .json({ url: public_url })
    const support = await staff(client, 'support')
    const listed = await client
      .get(`/api/v1/admin/users/${person.user.id}/webhook-endpoints`)
      .bearerToken(support.access_token)
    assert.equal(listed.body().data[0].id, created.body().id)
    assert.notInclude(listed.text(), created.body().secret)
    const event = await db.from('events').where('user_id', person.user.id).first()
    const resent = await client
      .post(`/api/v1/admin/webhook-endpoints/${created.body().id}/resends`)
      .bearerToken(support.access_token)
      .json({ event_id: event.id, reason: 'Partner lost the first one' })
    resent.assertStatus(201)
    assert.lengthOf(
      await db.from('audit_logs').where({ action: 'webhook.resend', target_id: created.body().id }),
      1
    )
    // Someone else's event (their deposit's): never a made-up id, which could be a real one.
    const stranger = await fundedUser(client, 1)
    const strangers = await db.from('events').where('user_id', stranger.user.id).first()
    const wrong = await client
      .post(`/api/v1/admin/webhook-endpoints/${created.body().id}/resends`)
      .bearerToken(support.access_token)
      .json({ event_id: strangers.id, reason: 'Not theirs at all' })
    wrong.assertStatus(404)
    ;(
      await client
        .get(`/api/v1/admin/webhook-endpoints/${created.body().id}/attempts`)
        .bearerToken(support.access_token)
    ).assertStatus(200)

    const reader = await client
      .post('/api/v1/api-keys')
      .bearerToken(person.access_token)
      .json({ name: 'Ops', scopes: ['webhooks:manage'] })
    ;(await client.get('/api/v1/webhook-endpoints').bearerToken(reader.body().secret)).assertStatus(
      200
    )
  })
})
