import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import paymentsConfig from '#config/payments'
import { linkToken, mailTo, waitForMail } from '#tests/support/mailbox'
import { balanceOf, fundedUser, password, signUp } from '#tests/support/people'

const verify_subject = /Confirm your email address/
const reset_subject = /Reset your Purse password/

test.group('Account security: verified email', (group) => {
  group.each.setup(() => {
    paymentsConfig.requireVerifiedEmail = true
    return () => {
      paymentsConfig.requireVerifiedEmail = false
    }
  })

  test('sign-up mails a link; until it is used sending is refused, after it sending works', async ({
    client,
    assert,
  }) => {
    const sender = await fundedUser(client, 5_000)
    const receiver = await signUp(client)
    assert.isFalse(sender.user.email_verified)

    const early = await client
      .post('/api/v1/transfers')
      .bearerToken(sender.access_token)
      .header('idempotency-key', randomUUID())
      .json({ receiver_email: receiver.email, amount: 100 })
    early.assertStatus(403)
    assert.equal(early.body().code, 'email_unverified')
    assert.equal(await balanceOf(client, sender.access_token), 5_000)

    const mail = await waitForMail(sender.email, verify_subject)
    assert.include(mail.html, '<a href=')
    const verified = await client
      .post('/api/v1/auth/email/verify')
      .json({ token: linkToken(mail, 'verify-email') })
    verified.assertStatus(200)
    assert.isTrue(verified.body().email_verified)

    const key = randomUUID()
    const sent = await client
      .post('/api/v1/transfers')
      .bearerToken(sender.access_token)
      .header('idempotency-key', key)
      .json({ receiver_email: receiver.email, amount: 100 })
    sent.assertStatus(201)
    assert.equal(await balanceOf(client, sender.access_token), 4_900)
    // An unverified person still receives.
    assert.equal(await balanceOf(client, receiver.access_token), 100)
  })

  test('a link works once; a resent one replaces it; resends are limited', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const first = linkToken(await waitForMail(person.email, verify_subject), 'verify-email')
    const resent = await client.post('/api/v1/auth/email/resend').bearerToken(person.access_token)
    resent.assertStatus(202)
    await waitFor(async () => (await mailTo(person.email)).length === 2)
    const second = linkToken(await waitForMail(person.email, verify_subject), 'verify-email')
    assert.notEqual(first, second)

    const old = await client.post('/api/v1/auth/email/verify').json({ token: first })
    old.assertStatus(400)
    assert.equal(old.body().code, 'invalid_token')
    ;(await client.post('/api/v1/auth/email/verify').json({ token: second })).assertStatus(200)
    const again = await client.post('/api/v1/auth/email/verify').json({ token: second })
    assert.equal(again.body().code, 'invalid_token')
    const already = await client.post('/api/v1/auth/email/resend').bearerToken(person.access_token)
    already.assertStatus(409)
    assert.equal(already.body().code, 'email_already_verified')

    const other = await signUp(client)
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await client.post('/api/v1/auth/email/resend').bearerToken(other.access_token)).status()
      )
    assert.deepEqual(statuses, [202, 202, 202, 429])
  })

  test('hostile tokens are one clear 400 or 422 and verify nothing', async ({ client, assert }) => {
    for (const token of ['', 'x'.repeat(201), 'nope', `${'A'.repeat(43)}`]) {
      const response = await client.post('/api/v1/auth/email/verify').json({ token })
      assert.oneOf(response.status(), [400, 422], token)
    }
    const missing = await client.post('/api/v1/auth/email/verify').json({})
    missing.assertStatus(422)
  })
})

test.group('Account security: password reset and change', () => {
  test('forgot answers alike for known and unknown addresses', async ({ client, assert }) => {
    const person = await signUp(client)
    const known = await client.post('/api/v1/auth/password/forgot').json({ email: person.email })
    const unknown = await client
      .post('/api/v1/auth/password/forgot')
      .json({ email: `${randomUUID()}@example.com` })
    assert.equal(known.status(), 202)
    assert.equal(unknown.status(), known.status())
    assert.equal(unknown.text(), known.text())
    const headers = (response: typeof known) =>
      Object.entries(response.headers())
        .filter(([name]) => !['x-request-id', 'date'].includes(name))
        .sort()
    assert.deepEqual(headers(unknown), headers(known))
  })

  test('reset sets the password, ends every session, and the link works once', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const otherLogin = await client
      .post('/api/v1/auth/login')
      .json({ email: person.email, password })
    otherLogin.assertStatus(200)
    ;(await client.post('/api/v1/auth/password/forgot').json({ email: person.email })).assertStatus(
      202
    )
    const token = linkToken(await waitForMail(person.email, reset_subject), 'reset-password')

    const common = await client
      .post('/api/v1/auth/password/reset')
      .json({ token, password: 'password123' })
    common.assertStatus(422)
    assert.equal(common.body().errors[0].field, 'password')

    const reset = await client
      .post('/api/v1/auth/password/reset')
      .json({ token, password: 'a brand new secret' })
    reset.assertStatus(204)
    const reused = await client
      .post('/api/v1/auth/password/reset')
      .json({ token, password: 'another new secret' })
    assert.equal(reused.body().code, 'invalid_token')

    for (const session of [person, otherLogin.body()]) {
      ;(await client.get('/api/v1/me').bearerToken(session.access_token)).assertStatus(401)
      const refreshed = await client
        .post('/api/v1/auth/refresh')
        .json({ refresh_token: session.refresh_token })
      refreshed.assertStatus(401)
    }
    const old = await client.post('/api/v1/auth/login').json({ email: person.email, password })
    old.assertStatus(401)
    const fresh = await client
      .post('/api/v1/auth/login')
      .json({ email: person.email, password: 'a brand new secret' })
    fresh.assertStatus(200)
    // The link reached the address, so the address is the person's.
    assert.isTrue(fresh.body().user.email_verified)
    await waitForMail(person.email, /password was changed/)
  })

  test('an expired reset link is refused', async ({ client, assert }) => {
    const person = await signUp(client)
    await client.post('/api/v1/auth/password/forgot').json({ email: person.email })
    const token = linkToken(await waitForMail(person.email, reset_subject), 'reset-password')
    await db
      .from('account_tokens')
      .where('user_id', person.user.id)
      .where('purpose', 'password_reset')
      .update({ expires_at: new Date(Date.now() - 1000) })
    const late = await client
      .post('/api/v1/auth/password/reset')
      .json({ token, password: 'a brand new secret' })
    late.assertStatus(400)
    assert.equal(late.body().code, 'invalid_token')
  })

  test('change needs the current password and ends the other sessions only', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const other = (
      await client.post('/api/v1/auth/login').json({ email: person.email, password })
    ).body()
    const wrong = await client
      .post('/api/v1/auth/password')
      .bearerToken(person.access_token)
      .json({ current_password: 'not it at all', password: 'a brand new secret' })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].field, 'current_password')

    const changed = await client
      .post('/api/v1/auth/password')
      .bearerToken(person.access_token)
      .json({ current_password: password, password: 'a brand new secret' })
    changed.assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(person.access_token)).assertStatus(200)
    ;(await client.get('/api/v1/me').bearerToken(other.access_token)).assertStatus(401)
    const refreshed = await client
      .post('/api/v1/auth/refresh')
      .json({ refresh_token: other.refresh_token })
    refreshed.assertStatus(401)
  })

  test('guesses at the current password are limited', async ({ client }) => {
    const person = await signUp(client)
    let last = 0
    for (let i = 0; i < 6; i++) {
      last = (
        await client
          .post('/api/v1/auth/password')
          .bearerToken(person.access_token)
          .json({ current_password: `guess ${i}`, password: 'a brand new secret' })
      ).status()
    }
    if (last !== 429) throw new Error(`the sixth guess answered ${last}`)
  })

  test('sign-up refuses a common password', async ({ client, assert }) => {
    const response = await client
      .post('/api/v1/auth/register')
      .json({ email: `${randomUUID()}@example.com`, password: 'iloveyou1', full_name: 'X' })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'password')
  })
})

test.group('Account security: sessions', () => {
  test('lists sessions with device and network, and ends one or all others', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const phone = await client
      .post('/api/v1/auth/login')
      .header('user-agent', 'PurseTest Phone/1.0')
      .json({ email: person.email, password })
    const laptop = await client
      .post('/api/v1/auth/login')
      .header('user-agent', 'PurseTest Laptop/2.0')
      .json({ email: person.email, password })

    const listed = await client.get('/api/v1/auth/sessions').bearerToken(person.access_token)
    listed.assertStatus(200)
    const list = listed.body().data
    assert.lengthOf(list, 3)
    assert.equal(list.filter((s: any) => s.current).length, 1)
    assert.includeMembers(
      list.map((s: any) => s.user_agent),
      ['PurseTest Phone/1.0', 'PurseTest Laptop/2.0']
    )
    for (const session of list) assert.match(session.ip_prefix, /\/(24|48)$/)

    const phoneSession = list.find((s: any) => s.user_agent === 'PurseTest Phone/1.0')
    const stranger = await signUp(client)
    const foreign = await client
      .delete(`/api/v1/auth/sessions/${phoneSession.id}`)
      .bearerToken(stranger.access_token)
    foreign.assertStatus(404)
    ;(await client.get('/api/v1/me').bearerToken(phone.body().access_token)).assertStatus(200)

    const ended = await client
      .delete(`/api/v1/auth/sessions/${phoneSession.id}`)
      .bearerToken(person.access_token)
    ended.assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(phone.body().access_token)).assertStatus(401)

    const others = await client
      .post('/api/v1/auth/sessions/revoke-others')
      .bearerToken(person.access_token)
    assert.equal(others.body().ended, 1)
    ;(await client.get('/api/v1/me').bearerToken(laptop.body().access_token)).assertStatus(401)
    ;(await client.get('/api/v1/me').bearerToken(person.access_token)).assertStatus(200)
    const after = await client.get('/api/v1/auth/sessions').bearerToken(person.access_token)
    assert.lengthOf(after.body().data, 1)
  })

  test('a sign-in from a browser not seen before is mailed; a known one is not', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const login = (agent: string) =>
      client
        .post('/api/v1/auth/login')
        .header('user-agent', agent)
        .json({ email: person.email, password })
    ;(await login('PurseTest Known/1.0')).assertStatus(200)
    const notice = await waitForMail(person.email, /New sign-in/)
    assert.include(notice.text, 'PurseTest Known/1.0')
    ;(await login('PurseTest Known/1.0')).assertStatus(200)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const notices = (await mailTo(person.email)).filter((m) => /New sign-in/.test(m.subject))
    assert.lengthOf(notices, 1)
  })
})

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
