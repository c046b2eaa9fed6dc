import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import { Claims, claimsConfig } from '#claims/claims'
import { linkToken, waitForMail } from '#tests/support/mailbox'
import { balanceOf, fundedUser, ledgerHolds, password } from '#tests/support/people'

type Person = Awaited<ReturnType<typeof fundedUser>>

function sendTo(client: ApiClient, from: Person, email: string, amount: number, claimable = true) {
  return client
    .post('/api/v1/transfers')
    .bearerToken(from.access_token)
    .header('idempotency-key', randomUUID())
    .json({ receiver_email: email, amount, description: 'Birthday', claimable })
}

async function available(client: ApiClient, person: Person) {
  const wallets = await client.get('/api/v1/wallets').bearerToken(person.access_token)
  return wallets.body().data.find((w: { currency: string }) => w.currency === 'USD')
    .available_balance as number
}

/** Signs up with the address and opens the mailed link, as the newcomer would. */
async function signUpAndVerify(client: ApiClient, email: string) {
  const signedUp = await client
    .post('/api/v1/auth/register')
    .json({ email, password, full_name: 'New Comer' })
  signedUp.assertStatus(201)
  const mail = await waitForMail(email, /Confirm your email address/)
  return { signedUp, token: linkToken(mail, 'verify-email') }
}

async function claimOf(client: ApiClient, sender: Person, id: string) {
  const list = await client.get('/api/v1/claims').bearerToken(sender.access_token)
  return list.body().data.find((c: { id: string }) => c.id === id)
}

test.group('Sending to someone not on Purse yet', (group) => {
  const timeout = claimsConfig.timeoutMs
  group.each.setup(() => () => {
    claimsConfig.timeoutMs = timeout
  })

  test('the money waits, is mailed about, and the verified newcomer gets it', async ({
    client,
    assert,
  }) => {
    const sender = await fundedUser(client, 10_000, 'Sam Sender')
    const email = `${randomUUID()}@example.com`
    const typo = await sendTo(client, sender, email, 2_500, false)
    typo.assertStatus(404)
    assert.equal(typo.body().code, 'receiver_not_found')

    const sent = await sendTo(client, sender, email, 2_500)
    sent.assertStatus(202)
    assert.deepInclude(sent.body(), { email, amount: 2_500, status: 'pending' })
    assert.equal(await available(client, sender), 7_500)
    const mail = await waitForMail(email, /Sam Sender sent you 25\.00 USD/)
    assert.include(mail.text, '/sign-up')

    const { signedUp, token } = await signUpAndVerify(client, email)
    // Signed up but not verified: nothing yet (only a verified address claims).
    assert.equal(await balanceOf(client, signedUp.body().access_token), 0)
    ;(await client.post('/api/v1/auth/email/verify').json({ token })).assertStatus(200)
    assert.equal(await balanceOf(client, signedUp.body().access_token), 2_500)
    assert.equal(await balanceOf(client, sender.access_token), 7_500)
    const claim = await claimOf(client, sender, sent.body().id)
    assert.equal(claim.status, 'claimed')
    const history = await client.get('/api/v1/transfers').bearerToken(signedUp.body().access_token)
    assert.deepInclude(history.body().data[0], {
      kind: 'p2p',
      amount: 2_500,
      description: 'Birthday',
    })
    assert.equal(history.body().data[0].sender.full_name, 'Sam Sender')
    const cancel = await client
      .post(`/api/v1/claims/${sent.body().id}/cancel`)
      .bearerToken(sender.access_token)
    cancel.assertStatus(409)
    assert.equal(cancel.body().code, 'claim_not_pending')
  })

  test('the sender cancels while it waits, and it comes back', async ({ client, assert }) => {
    const sender = await fundedUser(client, 10_000)
    const email = `${randomUUID()}@example.com`
    const sent = await sendTo(client, sender, email, 4_000)
    const cancelled = await client
      .post(`/api/v1/claims/${sent.body().id}/cancel`)
      .bearerToken(sender.access_token)
    cancelled.assertStatus(200)
    assert.equal(cancelled.body().status, 'cancelled')
    assert.equal(await available(client, sender), 10_000)
    const { signedUp, token } = await signUpAndVerify(client, email)
    ;(await client.post('/api/v1/auth/email/verify').json({ token })).assertStatus(200)
    assert.equal(await balanceOf(client, signedUp.body().access_token), 0)
  })

  test('claim and cancel at once: exactly one wins, and the money is in one place', async ({
    client,
    assert,
  }) => {
    for (let round = 0; round < 4; round++) {
      const sender = await fundedUser(client, 10_000)
      const email = `${randomUUID()}@example.com`
      const sent = await sendTo(client, sender, email, 3_000)
      const { signedUp, token } = await signUpAndVerify(client, email)
      const [verified, cancelled] = await Promise.all([
        client.post('/api/v1/auth/email/verify').json({ token }),
        client.post(`/api/v1/claims/${sent.body().id}/cancel`).bearerToken(sender.access_token),
      ])
      verified.assertStatus(200)
      const claim = await claimOf(client, sender, sent.body().id)
      const newcomer = await balanceOf(client, signedUp.body().access_token)
      const back = await available(client, sender)
      if (cancelled.status() === 200) {
        assert.equal(claim.status, 'cancelled')
        assert.deepEqual([newcomer, back], [0, 10_000])
      } else {
        assert.equal(cancelled.body().code, 'claim_not_pending')
        assert.equal(claim.status, 'claimed')
        assert.deepEqual([newcomer, back], [3_000, 7_000])
      }
    }
  })

  test('unclaimed, it expires by itself and the sender is told', async ({ client, assert }) => {
    claimsConfig.timeoutMs = 1_000
    const sender = await fundedUser(client, 10_000)
    const email = `${randomUUID()}@example.com`
    const sent = await sendTo(client, sender, email, 1_500)
    assert.equal(await available(client, sender), 8_500)
    // ledger-core expires holds every second; the app's sweep follows.
    const claims = await app.container.make(Claims)
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      await claims.sweep()
      if ((await claimOf(client, sender, sent.body().id)).status === 'expired') break
    }
    assert.equal((await claimOf(client, sender, sent.body().id)).status, 'expired')
    assert.equal(await available(client, sender), 10_000)
    await waitForMail(sender.email, /came back/)
    const late = await client
      .post(`/api/v1/claims/${sent.body().id}/cancel`)
      .bearerToken(sender.access_token)
    late.assertStatus(409)
  })

  test('claim, cancel and expiry at the same moment: exactly one wins', async ({
    client,
    assert,
  }) => {
    claimsConfig.timeoutMs = 1_000
    const claims = await app.container.make(Claims)
    for (let round = 0; round < 3; round++) {
      const sender = await fundedUser(client, 10_000)
      const email = `${randomUUID()}@example.com`
      const sent = await sendTo(client, sender, email, 2_000)
      const { signedUp, token } = await signUpAndVerify(client, email)
      // Around the hold's expiry, all three at once.
      const wait = Date.parse(sent.body().expires_at) - Date.now() - 50 * round
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)))
      await Promise.all([
        client.post('/api/v1/auth/email/verify').json({ token }),
        client.post(`/api/v1/claims/${sent.body().id}/cancel`).bearerToken(sender.access_token),
        claims.sweep(),
      ])
      for (
        let i = 0;
        i < 30 && (await claimOf(client, sender, sent.body().id)).status === 'pending';
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        await claims.sweep()
      }
      const status = (await claimOf(client, sender, sent.body().id)).status
      const newcomer = await balanceOf(client, signedUp.body().access_token)
      const back = await available(client, sender)
      assert.include(['claimed', 'cancelled', 'expired'], status)
      assert.deepEqual(
        [newcomer, back],
        status === 'claimed' ? [2_000, 8_000] : [0, 10_000],
        `round ${round}: ${status}`
      )
    }
    assert.isTrue(await ledgerHolds(client))
  })

  test('wrong requests change nothing', async ({ client, assert }) => {
    const sender = await fundedUser(client, 1_000)
    for (const claimable of ['yes', 1, 'true']) {
      const answer = await client
        .post('/api/v1/transfers')
        .bearerToken(sender.access_token)
        .header('idempotency-key', randomUUID())
        .json({ receiver_email: `${randomUUID()}@example.com`, amount: 100, claimable })
      assert.equal(answer.status(), 422, String(claimable))
    }
    const byId = await client
      .post('/api/v1/transfers')
      .bearerToken(sender.access_token)
      .header('idempotency-key', randomUUID())
      .json({ receiver_id: randomUUID(), amount: 100, claimable: true })
    byId.assertStatus(404)
    for (const id of ['not-a-uuid', randomUUID()])
      (
        await client.post(`/api/v1/claims/${id}/cancel`).bearerToken(sender.access_token)
      ).assertStatus(404)
    const broke = await sendTo(client, sender, `${randomUUID()}@example.com`, 5_000)
    broke.assertStatus(422)
    assert.equal(broke.body().code, 'insufficient_funds')
    assert.equal(await available(client, sender), 1_000)
    const list = await client.get('/api/v1/claims').bearerToken(sender.access_token)
    assert.deepEqual(list.body().data, [])
  })
})
