import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { Webhook } from 'standardwebhooks'
import {
  PurseApiError,
  PurseWebhookError,
  createPurseClient,
  verifyWebhook,
  type PurseEvent,
} from '../src/index.ts'
import { apiUrl } from './support.ts'

async function person(funds = 0) {
  const client = createPurseClient({ baseUrl: apiUrl() })
  const session = await client.auth.register({
    email: `${randomUUID()}@example.com`,
    password: 'correct horse battery',
    full_name: 'Partner Person',
  })
  if (funds) await client.deposits.create({ amount: funds })
  return { client, session }
}

test.group('Client: a partner backend', () => {
  test('an API key client pays and reads within its scopes; beyond them it gets insufficient_scope', async ({
    assert,
  }) => {
    const alice = await person(5_000)
    const bob = await person()
    const key = await alice.client.apiKeys.create({
      name: 'Shop backend',
      scopes: ['transfers:write', 'transfers:read', 'events:read'],
    })
    assert.match(key.secret, /^purse_test_/)
    const partner = createPurseClient({ baseUrl: apiUrl(), apiKey: key.secret })
    const paid = await partner.transfers.create({ receiver_id: bob.session.user.id, amount: 1_234 })
    assert.equal(paid.sender?.id, alice.session.user.id)
    const events: PurseEvent[] = []
    for await (const event of partner.events.list({ type: 'transfer.completed' }))
      events.push(event)
    assert.lengthOf(events, 1)
    const refused = await partner.wallets.list().catch((error) => error)
    assert.instanceOf(refused, PurseApiError)
    assert.equal(refused.code, 'insufficient_scope')
    assert.deepEqual(
      (await alice.client.apiKeys.list()).map((k) => k.id),
      [key.id]
    )
    await alice.client.apiKeys.revoke(key.id)
    const revoked = await partner.transfers
      .list()
      .page()
      .catch((error) => error)
    assert.equal(revoked.status, 401)
  })

  test('events.stream yields each new event, typed by its type, until aborted', async ({
    assert,
  }) => {
    const alice = await person(5_000)
    const bob = await person()
    const stop = new AbortController()
    const seen: PurseEvent[] = []
    const reading = (async () => {
      for await (const event of bob.client.events.stream({ signal: stop.signal })) {
        seen.push(event)
        if (seen.length === 2) stop.abort()
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const amount of [11, 22])
      await alice.client.transfers.create({ receiver_id: bob.session.user.id, amount })
    await reading
    assert.deepEqual(
      seen.map((event) => (event.type === 'transfer.completed' ? event.data.amount : null)),
      [11, 22]
    )
  })

  test('webhooks.verify reads a signed delivery as a typed event, and refuses a forged or stale one', async ({
    assert,
  }) => {
    const secret = `whsec_${Buffer.from(randomUUID() + randomUUID())
      .toString('base64')
      .slice(0, 43)}=`
    const signer = new Webhook(secret)
    const event = {
      id: randomUUID(),
      type: 'account.frozen',
      created_at: new Date().toISOString(),
      user_id: randomUUID(),
      data: { id: randomUUID(), status: 'frozen' },
    }
    const body = JSON.stringify(event)
    const now = new Date()
    const headers = {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signer.sign(event.id, now, body),
    }
    const read = verifyWebhook(Buffer.from(body), headers, secret)
    assert.equal(read.type, 'account.frozen')
    assert.throws(
      () => verifyWebhook(body.replace('frozen', 'active'), headers, secret),
      PurseWebhookError
    )
    const old = new Date(Date.now() - 10 * 60_000)
    const stale = {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': signer.sign(event.id, old, body),
    }
    assert.throws(() => verifyWebhook(body, stale, secret), PurseWebhookError)
    const client = createPurseClient({ baseUrl: apiUrl() })
    assert.equal(client.webhooks.verify(body, new Headers(headers), secret).id, event.id)
  })

  test('webhook endpoints are managed from the client', async ({ assert }) => {
    const { client } = await person()
    const created = await client.webhooks.endpoints.create({
      url: 'https://93.184.216.34/hooks',
      event_types: ['transfer.completed'],
    })
    assert.match(created.secret, /^whsec_/)
    const rotated = await client.webhooks.endpoints.rotateSecret(created.id)
    assert.notEqual(rotated.secret, created.secret)
    await client.webhooks.endpoints.update(created.id, { enabled: false })
    assert.isFalse((await client.webhooks.endpoints.get(created.id)).enabled)
    const attempts = []
    for await (const attempt of client.webhooks.endpoints.attempts(created.id))
      attempts.push(attempt)
    assert.lengthOf(attempts, 0)
    await client.webhooks.endpoints.delete(created.id)
    assert.lengthOf(await client.webhooks.endpoints.list(), 0)
  })
})
