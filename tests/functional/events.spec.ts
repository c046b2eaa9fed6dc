import { test } from '@japa/runner'
import { fundedUser, signUp, staff } from '#tests/support/people'

const base = `http://${process.env.HOST}:${process.env.PORT}`

/** Reads a Server-Sent Events stream until `until` says it has what it waits for. */
async function readStream(
  response: Response,
  until: (events: { id: string; type: string; data: any }[]) => boolean
) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: { id: string; type: string; data: any }[] = []
  let buffer = ''
  while (!until(events)) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const field = (name: string) =>
        frame
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2)
      if (field('data'))
        events.push({ id: field('id')!, type: field('event')!, data: JSON.parse(field('data')!) })
    }
  }
  await reader.cancel()
  return events
}

test.group('Events', () => {
  test('a payment gives each person one event whose data is the transfer the API shows', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 250, description: 'Tickets' })
    sent.assertStatus(201)
    for (const person of [alice, bob]) {
      const events = await client
        .get('/api/v1/events')
        .qs({ type: 'transfer.completed' })
        .bearerToken(person.access_token)
      events.assertStatus(200)
      assert.lengthOf(events.body().data, 1)
      const [event] = events.body().data
      assert.equal(event.user_id, person.user.id)
      const shown = await client
        .get(`/api/v1/transfers/${sent.body().id}`)
        .bearerToken(person.access_token)
      assert.deepEqual(event.data, shown.body())
      const one = await client.get(`/api/v1/events/${event.id}`).bearerToken(person.access_token)
      assert.deepEqual(one.body(), event)
    }
    // Alice's deposit is hers alone; nobody reads another's event.
    const deposits = await client
      .get('/api/v1/events')
      .qs({ type: 'deposit.completed' })
      .bearerToken(alice.access_token)
    assert.lengthOf(deposits.body().data, 1)
    const stranger = await signUp(client)
    const theirs = await client
      .get(`/api/v1/events/${deposits.body().data[0].id}`)
      .bearerToken(stranger.access_token)
    theirs.assertStatus(404)
  })

  test('a freeze, a reversal and an adjustment are announced to the person; staff read them all', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 1_000)
    const bob = await signUp(client)
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .json({ receiver_id: bob.user.id, amount: 300 })
    const admin = await staff(client, 'admin')
    await client
      .post(`/api/v1/admin/transfers/${sent.body().id}/reversal`)
      .bearerToken(admin.access_token)
      .json({ reason: 'Sent to the wrong Bob' })
      .then((r) => r.assertStatus(201))
    await client
      .post(`/api/v1/admin/users/${bob.user.id}/freeze`)
      .bearerToken(admin.access_token)
      .json({ reason: 'Checking his identity' })
      .then((r) => r.assertStatus(200))
    const types = async (token: string) =>
      (await client.get('/api/v1/events').bearerToken(token)).body().data.map((e: any) => e.type)
    assert.deepEqual(await types(bob.access_token), [
      'account.frozen',
      'transfer.reversed',
      'transfer.completed',
    ])
    const everyone = await client
      .get('/api/v1/admin/events')
      .qs({ user_id: bob.user.id, type: 'account.frozen' })
      .bearerToken(admin.access_token)
    everyone.assertStatus(200)
    assert.equal(everyone.body().data[0].data.status, 'frozen')
    const reversed = (await client.get('/api/v1/events').bearerToken(alice.access_token))
      .body()
      .data.find((e: any) => e.type === 'transfer.reversed')
    assert.equal(reversed.data.reversal_of, sent.body().id)
    ;(await client.get('/api/v1/admin/events').bearerToken(bob.access_token)).assertStatus(403)
  })

  test('the stream sends each new event; after a disconnect, Last-Event-ID brings back what was missed, once', async ({
    client,
    assert,
  }) => {
    const alice = await fundedUser(client, 10_000)
    const bob = await signUp(client)
    const pay = (amount: number) =>
      client
        .post('/api/v1/transfers')
        .bearerToken(alice.access_token)
        .json({ receiver_id: bob.user.id, amount })
        .then((r) => r.body().id as string)
    const open = (lastEventId?: string) =>
      fetch(`${base}/api/v1/events/stream`, {
        headers: {
          authorization: `Bearer ${bob.access_token}`,
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      })
    const first = await open()
    assert.equal(first.status, 200)
    assert.include(first.headers.get('content-type'), 'text/event-stream')
    const paid = await pay(101)
    const live = await readStream(first, (events) => events.length >= 1)
    assert.equal(live[0]!.type, 'transfer.completed')
    assert.equal(live[0]!.data.data.id, paid)

    // Disconnected: two payments arrive meanwhile.
    const missed = [await pay(102), await pay(103)]
    const again = await open(live[0]!.id)
    const resumed = await readStream(again, (events) => events.length >= 2)
    assert.deepEqual(
      resumed.map((e) => e.data.data.id),
      missed
    )
    // Nothing twice, nothing more: the next event is the next payment.
    const after = await pay(104)
    const next = await open(resumed[1]!.id)
    const rest = await readStream(next, (events) => events.length >= 1)
    assert.deepEqual(
      rest.map((e) => e.data.data.id),
      [after]
    )
  })

  test('the stream needs events:read for a key, and a valid credential', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const key = await client
      .post('/api/v1/api-keys')
      .bearerToken(person.access_token)
      .json({ name: 'Reader', scopes: ['wallets:read'] })
    const refused = await fetch(`${base}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${key.body().secret}` },
    })
    assert.equal(refused.status, 403)
    assert.equal(((await refused.json()) as { code: string }).code, 'insufficient_scope')
    const nobody = await fetch(`${base}/api/v1/events/stream`)
    assert.equal(nobody.status, 401)
  })
})
