import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { Secret, TOTP } from 'otpauth'
import { clock } from '#platform/clock'
import { linkToken, mailTo, waitForMail } from '#tests/support/mailbox'
import { balanceOf, fundedUser, password, signUp } from '#tests/support/people'

/**
 * Two-step sign-in, recovery codes, step-up and email change, through the
 * API. The server's clock is the test's (app/platform/clock.ts), so the
 * authenticator's 30-second steps are walked through without waiting.
 */
let now = Date.now()
const step_ms = 30_000

function codeAt(secret: string, at = now) {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at })
}

/** A person with the authenticator app on; returns its secret and recovery codes. */
async function withAuthenticator(client: ApiClient, funds = 0) {
  const person = await fundedUser(client, funds)
  const begun = await client.post('/api/v1/auth/mfa/totp').bearerToken(person.access_token)
  begun.assertStatus(201)
  const secret = begun.body().secret as string
  const confirmed = await client
    .post('/api/v1/auth/mfa/totp/confirm')
    .bearerToken(person.access_token)
    .json({ code: codeAt(secret) })
  confirmed.assertStatus(200)
  now += step_ms
  return { ...person, secret, recoveryCodes: confirmed.body().recovery_codes as string[] }
}

function login(client: ApiClient, email: string) {
  return client.post('/api/v1/auth/login').json({ email, password })
}

async function secondStep(client: ApiClient, email: string, proof: Record<string, unknown>) {
  const first = await login(client, email)
  first.assertStatus(401)
  return client.post('/api/v1/auth/login/mfa').json({ mfa_token: first.body().mfa_token, ...proof })
}

function send(client: ApiClient, token: string, to: string, amount: number, key = randomUUID()) {
  return client
    .post('/api/v1/transfers')
    .bearerToken(token)
    .header('idempotency-key', key)
    .json({ receiver_email: to, amount })
}

test.group('Second factors: authenticator app', (group) => {
  group.each.setup(() => {
    now = Date.now()
    clock.now = () => now
    return () => {
      clock.now = () => Date.now()
    }
  })

  test('enrolment shows the secret once, needs a right first code, and gives ten recovery codes', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const begun = await client.post('/api/v1/auth/mfa/totp').bearerToken(person.access_token)
    begun.assertStatus(201)
    assert.match(begun.body().secret, /^[A-Z2-7]{32}$/)
    assert.match(begun.body().otpauth_uri, /^otpauth:\/\/totp\/Purse:.*secret=/)

    const wrong = await client
      .post('/api/v1/auth/mfa/totp/confirm')
      .bearerToken(person.access_token)
      .json({ code: '000000' === codeAt(begun.body().secret) ? '111111' : '000000' })
    wrong.assertStatus(422)
    assert.equal(wrong.body().code, 'invalid_code')
    const off = await client.get('/api/v1/auth/mfa').bearerToken(person.access_token)
    assert.isFalse(off.body().totp_enabled)

    const right = await client
      .post('/api/v1/auth/mfa/totp/confirm')
      .bearerToken(person.access_token)
      .json({ code: codeAt(begun.body().secret) })
    right.assertStatus(200)
    assert.lengthOf(right.body().recovery_codes, 10)
    assert.lengthOf(new Set(right.body().recovery_codes), 10)
    const on = await client.get('/api/v1/auth/mfa').bearerToken(person.access_token)
    assert.deepInclude(on.body(), { enabled: true, totp_enabled: true, recovery_codes_left: 10 })
    // The secret is never shown again.
    assert.notInclude(JSON.stringify(on.body()), begun.body().secret)
    await waitForMail(person.email, /an authenticator app was turned on/)
  })

  test('sign-in asks for a code; a code works once; the step after works', async ({
    client,
    assert,
  }) => {
    const person = await withAuthenticator(client)
    const first = await login(client, person.email)
    first.assertStatus(401)
    assert.equal(first.body().code, 'mfa_required')
    assert.deepEqual(first.body().methods, ['totp', 'recovery_code'])
    assert.notProperty(first.body(), 'access_token')

    const code = codeAt(person.secret)
    const done = await client
      .post('/api/v1/auth/login/mfa')
      .json({ mfa_token: first.body().mfa_token, code })
    done.assertStatus(200)
    assert.properties(done.body(), ['access_token', 'refresh_token', 'user'])
    const me = await client.get('/api/v1/me').bearerToken(done.body().access_token)
    me.assertStatus(200)

    // The same code again, on a new sign-in: refused, though still in its 30 seconds.
    const replay = await secondStep(client, person.email, { code })
    replay.assertStatus(422)
    assert.equal(replay.body().code, 'invalid_code')
    now += step_ms
    const next = await secondStep(client, person.email, { code: codeAt(person.secret) })
    next.assertStatus(200)
    // A finished sign-in's token does not start another session.
    const again = await client
      .post('/api/v1/auth/login/mfa')
      .json({ mfa_token: first.body().mfa_token, code: codeAt(person.secret, now + step_ms) })
    again.assertStatus(401)
    assert.equal(again.body().code, 'mfa_challenge_expired')
  })

  test('a recovery code works once, in any case and with or without its dash', async ({
    client,
    assert,
  }) => {
    const person = await withAuthenticator(client)
    const code = person.recoveryCodes[0]
    const used = await secondStep(client, person.email, {
      recovery_code: ` ${code.toUpperCase().replace('-', '')} `,
    })
    used.assertStatus(200)
    const twice = await secondStep(client, person.email, { recovery_code: code })
    twice.assertStatus(422)
    assert.equal(twice.body().code, 'invalid_code')
    const status = await client.get('/api/v1/auth/mfa').bearerToken(used.body().access_token)
    assert.equal(status.body().recovery_codes_left, 9)
  })

  test('wrong codes are limited per person: new sign-ins do not reset the count', async ({
    client,
    assert,
  }) => {
    const person = await withAuthenticator(client)
    const right = codeAt(person.secret)
    const wrong = right === '123456' ? '654321' : '123456'
    for (let i = 0; i < 5; i++) {
      const guess = await secondStep(client, person.email, { code: wrong })
      guess.assertStatus(422)
    }
    const blocked = await secondStep(client, person.email, { code: right })
    blocked.assertStatus(429)
    assert.equal(blocked.body().code, 'too_many_attempts')
    assert.isAbove(Number(blocked.header('retry-after')), 0)
  })

  test('the second step lasts five minutes', async ({ client, assert }) => {
    const person = await withAuthenticator(client)
    const first = await login(client, person.email)
    now += 5 * 60_000 + 1_000
    const late = await client
      .post('/api/v1/auth/login/mfa')
      .json({ mfa_token: first.body().mfa_token, code: codeAt(person.secret) })
    late.assertStatus(401)
    assert.equal(late.body().code, 'mfa_challenge_expired')
  })

  test('turning it off needs a code; then sign-in is one step again', async ({
    client,
    assert,
  }) => {
    const person = await withAuthenticator(client)
    const without = await client
      .post('/api/v1/auth/mfa/totp/disable')
      .bearerToken(person.access_token)
      .json({})
    without.assertStatus(422)
    const off = await client
      .post('/api/v1/auth/mfa/totp/disable')
      .bearerToken(person.access_token)
      .json({ code: codeAt(person.secret) })
    off.assertStatus(204)
    const status = await client.get('/api/v1/auth/mfa').bearerToken(person.access_token)
    assert.deepInclude(status.body(), { enabled: false, recovery_codes_left: 0 })
    ;(await login(client, person.email)).assertStatus(200)
    await waitForMail(person.email, /authenticator app was turned off/)
  })

  test('hostile second steps are refused before anything is checked', async ({
    client,
    assert,
  }) => {
    for (const body of [
      {},
      { mfa_token: 'x', code: '12345' },
      { mfa_token: 'x', code: 123456 },
      { mfa_token: 'x'.repeat(201), code: '123456' },
      { mfa_token: 'x', passkey: { id: 'a', rawId: 'a', type: 'public-key', response: {} } },
    ]) {
      const answer = await client.post('/api/v1/auth/login/mfa').json(body)
      answer.assertStatus(422)
      assert.equal(answer.body().code, 'validation_failed')
    }
    const unknown = await client
      .post('/api/v1/auth/login/mfa')
      .json({ mfa_token: 'not-a-token', code: '123456' })
    unknown.assertStatus(401)
    assert.equal(unknown.body().code, 'mfa_challenge_expired')
    const garbage = await client.post('/api/v1/auth/login/passkey').json({
      challenge_id: randomUUID(),
      response: {
        id: 'abc',
        rawId: 'abc',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
      },
    })
    garbage.assertStatus(422)
    assert.equal(garbage.body().code, 'passkey_invalid')
  })
})

test.group('Second factors: step-up for large payments', (group) => {
  group.each.setup(() => {
    now = Date.now()
    clock.now = () => now
    return () => {
      clock.now = () => Date.now()
    }
  })

  test('without a second factor, a large payment is refused and moves nothing', async ({
    client,
    assert,
  }) => {
    const sender = await fundedUser(client, 300_000)
    const receiver = await signUp(client)
    const refused = await send(client, sender.access_token, receiver.email, 100_001)
    refused.assertStatus(403)
    assert.equal(refused.body().code, 'step_up_required')
    assert.deepEqual(refused.body().methods, [])
    assert.match(refused.body().detail, /turn on an authenticator app or add a passkey/)
    assert.equal(await balanceOf(client, sender.access_token), 300_000)
    // At the threshold, one step is enough.
    ;(await send(client, sender.access_token, receiver.email, 100_000)).assertStatus(201)
  })

  test('after a step-up the same key pays once; five minutes later it is asked again', async ({
    client,
    assert,
  }) => {
    const sender = await withAuthenticator(client, 500_000)
    const receiver = await signUp(client)
    // Signed in with the second factor: stepped up for five minutes.
    const signedIn = await secondStep(client, sender.email, { code: codeAt(sender.secret) })
    now += 5 * 60_000 + 1_000
    const token = signedIn.body().access_token
    const key = randomUUID()
    const refused = await send(client, token, receiver.email, 150_000, key)
    refused.assertStatus(403)
    assert.equal(refused.body().code, 'step_up_required')
    assert.deepEqual(refused.body().methods, ['totp'])
    assert.equal(await balanceOf(client, token), 500_000)

    const wrong = await client
      .post('/api/v1/auth/step-up')
      .bearerToken(token)
      .json({ code: '000000' === codeAt(sender.secret) ? '111111' : '000000' })
    wrong.assertStatus(422)
    const recovery = await client
      .post('/api/v1/auth/step-up')
      .bearerToken(token)
      .json({ recovery_code: sender.recoveryCodes[0] })
    recovery.assertStatus(422)
    const stepped = await client
      .post('/api/v1/auth/step-up')
      .bearerToken(token)
      .json({ code: codeAt(sender.secret) })
    stepped.assertStatus(200)
    assert.equal(stepped.body().method, 'totp')

    const paid = await send(client, token, receiver.email, 150_000, key)
    paid.assertStatus(201)
    const replay = await send(client, token, receiver.email, 150_000, key)
    replay.assertStatus(201)
    assert.equal(replay.header('idempotent-replayed'), 'true')
    assert.equal(replay.body().id, paid.body().id)
    assert.equal(await balanceOf(client, token), 350_000)
    assert.equal(await balanceOf(client, receiver.access_token), 150_000)

    // Another session of the same person has not stepped up.
    now += step_ms
    const other = await secondStep(client, sender.email, { code: codeAt(sender.secret) })
    now += 5 * 60_000 + 1_000
    const asked = await send(client, other.body().access_token, receiver.email, 150_000)
    asked.assertStatus(403)
    assert.equal(await balanceOf(client, token), 350_000)
  })

  test('adding a factor or an API key that sends money needs the factor already held', async ({
    client,
    assert,
  }) => {
    const person = await withAuthenticator(client)
    now += 5 * 60_000 + 1_000
    const passkey = await client
      .post('/api/v1/auth/passkeys/registration/options')
      .bearerToken(person.access_token)
    passkey.assertStatus(403)
    assert.equal(passkey.body().code, 'step_up_required')
    const key = await client
      .post('/api/v1/api-keys')
      .bearerToken(person.access_token)
      .json({ name: 'shop', scopes: ['transfers:write'] })
    key.assertStatus(403)
    const codes = await client
      .post('/api/v1/auth/mfa/recovery-codes')
      .bearerToken(person.access_token)
    codes.assertStatus(403)

    ;(
      await client
        .post('/api/v1/auth/step-up')
        .bearerToken(person.access_token)
        .json({ code: codeAt(person.secret) })
    ).assertStatus(200)
    const options = await client
      .post('/api/v1/auth/passkeys/registration/options')
      .bearerToken(person.access_token)
    options.assertStatus(200)
    assert.equal(options.body().options.rp.name, 'Purse')
    assert.isString(options.body().challenge_id)
    const renewed = await client
      .post('/api/v1/auth/mfa/recovery-codes')
      .bearerToken(person.access_token)
    renewed.assertStatus(201)
    assert.lengthOf(renewed.body().recovery_codes, 10)
    assert.notInclude(renewed.body().recovery_codes, person.recoveryCodes[0])
  })
})

test.group('Account security: email change', () => {
  test('the new address is confirmed by its link; the old one is told; the old link dies', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const next = `${randomUUID()}@example.com`
    const wrongPassword = await client
      .post('/api/v1/auth/email')
      .bearerToken(person.access_token)
      .json({ email: next, current_password: 'not my password' })
    wrongPassword.assertStatus(422)
    const same = await client
      .post('/api/v1/auth/email')
      .bearerToken(person.access_token)
      .json({ email: person.email, current_password: password })
    same.assertStatus(422)
    const taken = await client
      .post('/api/v1/auth/email')
      .bearerToken(person.access_token)
      .json({ email: (await signUp(client)).email, current_password: password })
    taken.assertStatus(409)
    assert.equal(taken.body().code, 'email_taken')

    const asked = await client
      .post('/api/v1/auth/email')
      .bearerToken(person.access_token)
      .json({ email: next.toUpperCase(), current_password: password })
    asked.assertStatus(202)
    const mail = await waitForMail(next, /Confirm your new email address/)
    // Until the link is opened, nothing changed.
    ;(await login(client, person.email)).assertStatus(200)

    const token = linkToken(mail, 'verify-email')
    const confirmed = await client.post('/api/v1/auth/email/verify').json({ token })
    confirmed.assertStatus(200)
    assert.equal(confirmed.body().email, next)
    assert.isTrue(confirmed.body().email_verified)
    await waitForMail(person.email, /email address of your Purse account was changed/)
    ;(await login(client, next)).assertStatus(200)
    ;(await login(client, person.email)).assertStatus(401)
    const reused = await client.post('/api/v1/auth/email/verify').json({ token })
    reused.assertStatus(400)
    assert.equal(reused.body().code, 'invalid_token')
    // The old address's earlier links no longer work: they were sent to an address no longer theirs.
    const oldMail = (await mailTo(person.email)).find((m) => /Confirm your email/.test(m.subject))
    const stale = await client
      .post('/api/v1/auth/email/verify')
      .json({ token: linkToken(oldMail!, 'verify-email') })
    stale.assertStatus(400)
  })
})
