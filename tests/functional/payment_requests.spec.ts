import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import paymentsConfig from '#config/payments'
import { clock } from '#platform/clock'
import { balanceOf, fundedUser, signUp, staff, ledgerHolds } from '#tests/support/people'

type Person = Awaited<ReturnType<typeof signUp>>

function ask(client: ApiClient, payee: Person, body: Record<string, unknown>) {
  return client.post('/api/v1/payment-requests').bearerToken(payee.access_token).json(body)
}

function act(client: ApiClient, person: Person, id: string, action: 'pay' | 'decline' | 'cancel') {
  return client.post(`/api/v1/payment-requests/${id}/${action}`).bearerToken(person.access_token)
}

test.group('Payment requests', (group) => {
  group.each.setup(() => () => {
    clock.now = () => Date.now()
  })

  test('asked, seen by the payer, paid once: the transfer carries the note', async ({
    client,
    assert,
  }) => {
    const payee = await signUp(client, 'Asking Person')
    const payer = await fundedUser(client, 10_000, 'Paying Person')
    const asked = await ask(client, payee, {
      payer_email: payer.email.toUpperCase(),
      amount: 2_500,
      note: 'Concert tickets',
    })
    asked.assertStatus(201)
    assert.deepInclude(asked.body(), { amount: 2_500, currency: 'USD', status: 'pending' })
    assert.equal(asked.body().payee.full_name, 'Asking Person')
    const id = asked.body().id

    const incoming = await client
      .get('/api/v1/payment-requests?role=payer&status=pending')
      .bearerToken(payer.access_token)
    assert.deepEqual(
      incoming.body().data.map((r: { id: string }) => r.id),
      [id]
    )

    const paid = await act(client, payer, id, 'pay')
    paid.assertStatus(201)
    assert.equal(paid.body().request.status, 'paid')
    assert.equal(paid.body().transfer.description, 'Concert tickets')
    assert.equal(paid.body().request.transfer_id, paid.body().transfer.id)
    assert.equal(await balanceOf(client, payer.access_token), 7_500)
    assert.equal(await balanceOf(client, payee.access_token), 2_500)

    const again = await act(client, payer, id, 'pay')
    assert.equal(again.body().transfer.id, paid.body().transfer.id)
    assert.equal(await balanceOf(client, payer.access_token), 7_500)
    const declined = await act(client, payer, id, 'decline')
    declined.assertStatus(409)
    assert.equal(declined.body().code, 'request_not_pending')
    const outgoing = await client
      .get('/api/v1/payment-requests?role=payee&status=paid')
      .bearerToken(payee.access_token)
    assert.equal(outgoing.body().data[0].id, id)
  })

  test('ten pays at once make one payment', async ({ client, assert }) => {
    const payee = await signUp(client)
    const payer = await fundedUser(client, 10_000)
    const id = (await ask(client, payee, { payer_id: payer.user.id, amount: 1_000 })).body().id
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => act(client, payer, id, 'pay'))
    )
    const transfers = new Set<string>()
    for (const answer of answers) {
      if (answer.status() === 409) {
        assert.equal(answer.body().code, 'idempotency_key_in_use')
        continue
      }
      answer.assertStatus(201)
      transfers.add(answer.body().transfer.id)
    }
    assert.equal(transfers.size, 1)
    assert.equal(await balanceOf(client, payer.access_token), 9_000)
    assert.equal(await balanceOf(client, payee.access_token), 1_000)
    const sent = await client
      .get('/api/v1/transfers?direction=sent')
      .bearerToken(payer.access_token)
    assert.lengthOf(sent.body().data, 1)
    assert.isTrue(await ledgerHolds(client))
  })

  test('a refused pay leaves the request waiting; paid once the money is there', async ({
    client,
    assert,
  }) => {
    const payee = await signUp(client)
    const payer = await fundedUser(client, 500)
    const id = (await ask(client, payee, { payer_email: payer.email, amount: 1_000 })).body().id
    const short = await act(client, payer, id, 'pay')
    short.assertStatus(422)
    assert.equal(short.body().code, 'insufficient_funds')
    const waiting = await client
      .get(`/api/v1/payment-requests/${id}`)
      .bearerToken(payee.access_token)
    assert.equal(waiting.body().status, 'pending')
    await client.post('/api/v1/deposits').bearerToken(payer.access_token).json({ amount: 1_000 })
    ;(await act(client, payer, id, 'pay')).assertStatus(201)
    assert.equal(await balanceOf(client, payer.access_token), 500)
  })

  test('the payer declines, the payee cancels, and no one else can', async ({ client, assert }) => {
    const payee = await signUp(client)
    const payer = await fundedUser(client, 5_000)
    const stranger = await signUp(client)
    const first = (await ask(client, payee, { payer_email: payer.email, amount: 100 })).body().id
    const second = (await ask(client, payee, { payer_email: payer.email, amount: 200 })).body().id

    ;(await act(client, payee, first, 'decline')).assertStatus(403)
    ;(await act(client, payee, first, 'pay')).assertStatus(403)
    ;(await act(client, payer, second, 'cancel')).assertStatus(403)
    for (const action of ['pay', 'decline', 'cancel'] as const)
      (await act(client, stranger, first, action)).assertStatus(404)
    const seen = await client
      .get(`/api/v1/payment-requests/${first}`)
      .bearerToken(stranger.access_token)
    seen.assertStatus(404)

    const declined = await act(client, payer, first, 'decline')
    declined.assertStatus(200)
    assert.equal(declined.body().status, 'declined')
    const cancelled = await act(client, payee, second, 'cancel')
    assert.equal(cancelled.body().status, 'cancelled')
    const late = await act(client, payer, second, 'pay')
    late.assertStatus(409)
    assert.equal(late.body().code, 'request_not_pending')
    assert.equal(await balanceOf(client, payer.access_token), 5_000)
  })

  test('a request expires after 30 days and can no longer be paid', async ({ client, assert }) => {
    const payee = await signUp(client)
    const payer = await fundedUser(client, 5_000)
    const id = (await ask(client, payee, { payer_email: payer.email, amount: 100 })).body().id
    const start = Date.now()
    clock.now = () => start + 30 * 86_400_000 + 1_000
    const expired = await client
      .get(`/api/v1/payment-requests/${id}`)
      .bearerToken(payer.access_token)
    assert.equal(expired.body().status, 'expired')
    const listed = await client
      .get('/api/v1/payment-requests?role=payer&status=expired')
      .bearerToken(payer.access_token)
    assert.equal(listed.body().data[0].id, id)
    const pay = await act(client, payer, id, 'pay')
    pay.assertStatus(409)
    assert.match(pay.body().detail, /expired/)
    assert.equal(await balanceOf(client, payer.access_token), 5_000)
  })

  test('wrong requests get a clear answer and change nothing', async ({ client, assert }) => {
    const payee = await signUp(client)
    const payer = await signUp(client)
    const cases: [Record<string, unknown>, number, string][] = [
      [{ amount: 100 }, 422, 'validation_failed'],
      [
        { payer_email: payer.email, payer_id: payer.user.id, amount: 100 },
        422,
        'validation_failed',
      ],
      [{ payer_email: `${randomUUID()}@example.com`, amount: 100 }, 404, 'payer_not_found'],
      [{ payer_id: randomUUID(), amount: 100 }, 404, 'payer_not_found'],
      [{ payer_email: payee.email, amount: 100 }, 422, 'self_request'],
      [{ payer_email: payer.email, amount: 0 }, 422, 'validation_failed'],
      [{ payer_email: payer.email, amount: -5 }, 422, 'validation_failed'],
      [{ payer_email: payer.email, amount: 1.5 }, 422, 'validation_failed'],
      [{ payer_email: payer.email, amount: '100' }, 422, 'validation_failed'],
      [{ payer_email: payer.email, amount: 100, currency: 'XXX' }, 422, 'currency_not_supported'],
      [{ payer_email: payer.email, amount: 100, note: 'a'.repeat(281) }, 422, 'validation_failed'],
      [{ payer_email: payer.email, amount: 100, note: 'evil\u202Etxt' }, 422, 'validation_failed'],
    ]
    for (const [body, status, code] of cases) {
      const answer = await ask(client, payee, body)
      assert.equal(answer.status(), status, JSON.stringify(body))
      assert.equal(answer.body().code, code, JSON.stringify(body))
    }
    for (const path of ['not-a-uuid', randomUUID()])
      (await act(client, payer, path, 'pay')).assertStatus(404)
    const bad = await client
      .get('/api/v1/payment-requests?role=everyone')
      .bearerToken(payer.access_token)
    bad.assertStatus(422)
    const none = await client
      .get('/api/v1/payment-requests?role=payee')
      .bearerToken(payee.access_token)
    assert.deepEqual(none.body().data, [])
  })

  test('asking is limited per day, and frozen people are neither asked nor ask', async ({
    client,
    assert,
  }) => {
    const limit = paymentsConfig.paymentRequestsPerDay
    paymentsConfig.paymentRequestsPerDay = 2
    try {
      const payee = await signUp(client)
      const payer = await signUp(client)
      for (let i = 0; i < 2; i++)
        (await ask(client, payee, { payer_email: payer.email, amount: 100 })).assertStatus(201)
      const third = await ask(client, payee, { payer_email: payer.email, amount: 100 })
      third.assertStatus(429)
      assert.equal(third.body().code, 'rate_limited')
      assert.isAbove(Number(third.header('retry-after')), 0)
    } finally {
      paymentsConfig.paymentRequestsPerDay = limit
    }
    const admin = await staff(client, 'admin')
    const payee = await signUp(client)
    const frozen = await signUp(client)
    ;(
      await client
        .post(`/api/v1/admin/users/${frozen.user.id}/freeze`)
        .bearerToken(admin.access_token)
        .json({ reason: 'Fraud report under review' })
    ).assertStatus(200)
    const toFrozen = await ask(client, payee, { payer_email: frozen.email, amount: 100 })
    toFrozen.assertStatus(403)
    assert.equal(toFrozen.body().code, 'account_frozen')
    const byFrozen = await ask(client, frozen, { payer_email: payee.email, amount: 100 })
    byFrozen.assertStatus(403)
  })
})
