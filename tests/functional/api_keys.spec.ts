import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { balanceOf, fundedUser, signUp, staff } from '#tests/support/people'

async function createKey(client: ApiClient, token: string, scopes: string[], extra = {}) {
  const created = await client
    .post('/api/v1/api-keys')
    .bearerToken(token)
    .json({ name: 'Partner server', scopes, ...extra })
  created.assertStatus(201)
  return created.body() as { id: string; secret: string; prefix: string; scopes: string[] }
}

test.group('API keys', () => {
  test('a key is shown once, stored only as a hash, and listed without its secret', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const key = await createKey(client, person.access_token, ['wallets:read', 'transfers:read'])
    assert.match(key.secret, /^purse_test_[A-Za-z0-9_-]{43}$/)
    assert.isTrue(key.secret.startsWith(key.prefix))
    const row = await db.from('api_keys').where('id', key.id).first()
    assert.notInclude(JSON.stringify(row), key.secret)
    assert.lengthOf(row.secret_hash, 64)
    const listed = await client.get('/api/v1/api-keys').bearerToken(person.access_token)
    assert.notInclude(listed.text(), key.secret)
    assert.deepEqual(listed.body().data[0].scopes, ['transfers:read', 'wallets:read'])
    const created = await db.from('events').where({ type: 'api_key.created', subject_id: key.id })
    assert.lengthOf(created, 1)
    assert.notInclude(JSON.stringify(created[0].data), key.secret)
  })

  test('a key does what its scopes name and nothing else; a refusal moves nothing', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const reader = await createKey(client, alice.access_token, ['transfers:read', 'wallets:read'])
    const wallets = await client.get('/api/v1/wallets').bearerToken(reader.secret)
    wallets.assertStatus(200)
    const pay = (secret: string) =>
      client
        .post('/api/v1/transfers')
        .header('idempotency-key', randomUUID())
        .bearerToken(secret)
        .json({ receiver_id: bob.user.id, amount: 100 })
    const refused = await pay(reader.secret)
    refused.assertStatus(403)
    assert.equal(refused.body().code, 'insufficient_scope')
    assert.include(refused.body().detail, 'transfers:write')
    assert.equal(await balanceOf(client, alice.access_token), 1_000)
    // Who am I works with any key; signing out and managing keys need the person.
    ;(await client.get('/api/v1/me').bearerToken(reader.secret)).assertStatus(200)
    for (const [method, path] of [
      ['post', '/api/v1/api-keys'],
      ['get', '/api/v1/api-keys'],
      ['post', '/api/v1/auth/logout'],
      ['get', '/api/v1/events'],
      ['get', '/api/v1/webhook-endpoints'],
    ] as const) {
      const answer = await client[method](path).bearerToken(reader.secret).json({})
      answer.assertStatus(403)
      assert.equal(answer.body().code, 'insufficient_scope', `${method} ${path}`)
    }
    const payer = await createKey(client, alice.access_token, ['transfers:write'])
    const paid = await pay(payer.secret)
    paid.assertStatus(201)
    assert.equal(paid.body().sender.id, alice.user.id)
    assert.equal(await balanceOf(client, alice.access_token), 900)
  })

  test("staff routes never take a key, even a staff member's own", async ({ client, assert }) => {
    const admin = await staff(client, 'admin')
    const key = await createKey(client, admin.access_token, ['wallets:read', 'transfers:read'])
    for (const path of ['/api/v1/admin/users', '/api/v1/admin/overview', '/api/v1/admin/events']) {
      const answer = await client.get(path).bearerToken(key.secret)
      answer.assertStatus(403)
      assert.equal(answer.body().code, 'insufficient_scope')
    }
  })

  test('a revoked or expired key is refused at once; revoking is announced', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const key = await createKey(client, person.access_token, ['wallets:read'])
    ;(await client.get('/api/v1/wallets').bearerToken(key.secret)).assertStatus(200)
    const revoked = await client
      .delete(`/api/v1/api-keys/${key.id}`)
      .bearerToken(person.access_token)
    revoked.assertStatus(200)
    assert.isString(revoked.body().revoked_at)
    ;(await client.get('/api/v1/wallets').bearerToken(key.secret)).assertStatus(401)
    assert.lengthOf(
      await db.from('events').where({ type: 'api_key.revoked', subject_id: key.id }),
      1
    )
    // Nobody else revokes it, and revoking again changes nothing.
    const stranger = await signUp(client)
    ;(
      await client.delete(`/api/v1/api-keys/${key.id}`).bearerToken(stranger.access_token)
    ).assertStatus(404)
    ;(
      await client.delete(`/api/v1/api-keys/${key.id}`).bearerToken(person.access_token)
    ).assertStatus(200)
    assert.lengthOf(
      await db.from('events').where({ type: 'api_key.revoked', subject_id: key.id }),
      1
    )

    const soon = await createKey(client, person.access_token, ['wallets:read'], {
      expires_at: new Date(Date.now() + 1_500).toISOString(),
    })
    ;(await client.get('/api/v1/wallets').bearerToken(soon.secret)).assertStatus(200)
    await new Promise((resolve) => setTimeout(resolve, 1_600))
    ;(await client.get('/api/v1/wallets').bearerToken(soon.secret)).assertStatus(401)
    const past = await client
      .post('/api/v1/api-keys')
      .bearerToken(person.access_token)
      .json({ name: 'Old', scopes: ['wallets:read'], expires_at: '2020-01-01T00:00:00Z' })
    past.assertStatus(422)
  })

  test("a frozen owner's key moves nothing, exactly like their session", async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const key = await createKey(client, alice.access_token, ['transfers:write'])
    const support = await staff(client, 'support')
    await client
      .post(`/api/v1/admin/users/${alice.user.id}/freeze`)
      .bearerToken(support.access_token)
      .json({ reason: 'Card reported stolen' })
      .then((r) => r.assertStatus(200))
    const refused = await client
      .post('/api/v1/transfers')
      .bearerToken(key.secret)
      .json({ receiver_id: bob.user.id, amount: 100 })
    refused.assertStatus(403)
    assert.equal(refused.body().code, 'account_frozen')
    assert.equal(await balanceOf(client, alice.access_token), 1_000)
  })

  test("staff see and revoke a person's keys, audited, never seeing a secret", async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const key = await createKey(client, person.access_token, ['events:read'])
    const support = await staff(client, 'support')
    const listed = await client
      .get(`/api/v1/admin/users/${person.user.id}/api-keys`)
      .bearerToken(support.access_token)
    listed.assertStatus(200)
    assert.equal(listed.body().data[0].id, key.id)
    assert.notInclude(listed.text(), key.secret)
    const revoked = await client
      .post(`/api/v1/admin/api-keys/${key.id}/revoke`)
      .bearerToken(support.access_token)
      .json({ reason: 'Key posted in a public repository' })
    revoked.assertStatus(200)
    ;(await client.get('/api/v1/events').bearerToken(key.secret)).assertStatus(401)
    const audit = await db.from('audit_logs').where({ action: 'api_key.revoke', target_id: key.id })
    assert.lengthOf(audit, 1)
    assert.notInclude(JSON.stringify(audit[0]), key.secret)
  })

  test('bad key requests are refused with the field named: {$self}')
    .with([
      { name: '', scopes: ['wallets:read'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: 'x', scopes: 'wallets:read' },
      { name: 'x\u202E', scopes: ['wallets:read'] },
      { name: 'x', scopes: ['wallets:read'], expires_at: '2026-02-30' },
    ])
    .run(async ({ client, assert }, body) => {
      const person = await signUp(client)
      const refused = await client
        .post('/api/v1/api-keys')
        .bearerToken(person.access_token)
        .json(body)
      refused.assertStatus(422)
      assert.isAbove(refused.body().errors.length, 0)
      assert.lengthOf(await db.from('api_keys').where('user_id', person.user.id), 0)
    })
})
