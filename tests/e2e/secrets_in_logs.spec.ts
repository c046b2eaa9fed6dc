import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { Secret, TOTP } from 'otpauth'
import { linkToken, waitForMail } from '#tests/support/mailbox'
import { call, startTestStack } from '#tests/support/stack'

/**
 * The API as its own process at its most talkative (LOG_LEVEL=trace) through
 * every account-security flow: no password, token, code or mailed link may
 * appear in what it logs.
 */
test.group('Secrets stay out of the logs', () => {
  test('sign-up, verification, reset, change, sessions and second factors log no secret', async ({
    assert,
  }) => {
    const stack = await startTestStack('secrets', { LOG_LEVEL: 'trace' })
    try {
      const email = `${randomUUID()}@example.com`
      const secrets: string[] = []
      const keep = (value: string) => (secrets.push(value), value)
      const first = keep('first secret passphrase')
      const signup = await call(stack.url, 'POST', '/api/v1/auth/register', {
        email,
        password: first,
        full_name: 'Quiet Person',
      })
      assert.equal(signup.status, 201)
      keep(signup.body.access_token)
      keep(signup.body.refresh_token)

      const verify = keep(linkToken(await waitForMail(email, /Confirm your email/), 'verify-email'))
      assert.equal(
        (await call(stack.url, 'POST', '/api/v1/auth/email/verify', { token: verify })).status,
        200
      )
      await call(stack.url, 'POST', '/api/v1/auth/password/forgot', { email })
      const reset = keep(linkToken(await waitForMail(email, /Reset your Purse/), 'reset-password'))
      const second = keep('second secret passphrase')
      assert.equal(
        (
          await call(stack.url, 'POST', '/api/v1/auth/password/reset', {
            token: reset,
            password: second,
          })
        ).status,
        204
      )
      const login = await call(stack.url, 'POST', '/api/v1/auth/login', { email, password: second })
      keep(login.body.access_token)
      keep(login.body.refresh_token)
      const third = keep('third secret passphrase')
      const changed = await call(
        stack.url,
        'POST',
        '/api/v1/auth/password',
        { current_password: second, password: third },
        login.body.access_token
      )
      assert.equal(changed.status, 204)
      await call(stack.url, 'GET', '/api/v1/auth/sessions', undefined, login.body.access_token)
      await waitForMail(email, /password was changed/)

      // Two-step sign-in: the app's secret, its codes, recovery codes and the sign-in's token.
      const token = login.body.access_token
      const enrolment = await call(stack.url, 'POST', '/api/v1/auth/mfa/totp', undefined, token)
      const totpSecret = keep(enrolment.body.secret)
      const codeAt = (at: number) =>
        keep(TOTP.generate({ secret: Secret.fromBase32(totpSecret), timestamp: at }))
      const confirmed = await call(
        stack.url,
        'POST',
        '/api/v1/auth/mfa/totp/confirm',
        { code: codeAt(Date.now()) },
        token
      )
      assert.equal(confirmed.status, 200)
      const recovery: string[] = confirmed.body.recovery_codes
      recovery.forEach(keep)
      const challenge = await call(stack.url, 'POST', '/api/v1/auth/login', {
        email,
        password: third,
      })
      assert.equal(challenge.body.code, 'mfa_required')
      const second_step = await call(stack.url, 'POST', '/api/v1/auth/login/mfa', {
        mfa_token: keep(challenge.body.mfa_token),
        recovery_code: recovery[0],
      })
      assert.equal(second_step.status, 200)
      keep(second_step.body.access_token)
      keep(second_step.body.refresh_token)
      const stepped = await call(
        stack.url,
        'POST',
        '/api/v1/auth/step-up',
        { code: codeAt(Date.now() + 30_000) },
        token
      )
      assert.equal(stepped.status, 200)
      const next = `${randomUUID()}@example.com`
      await call(
        stack.url,
        'POST',
        '/api/v1/auth/email',
        { email: next, current_password: third },
        token
      )
      const change = keep(linkToken(await waitForMail(next, /new email address/), 'verify-email'))
      assert.equal(
        (await call(stack.url, 'POST', '/api/v1/auth/email/verify', { token: change })).status,
        200
      )

      const logged = stack.app.output()
      assert.isAbove(logged.length, 0, 'the process logged something')
      for (const secret of secrets) assert.notInclude(logged, secret)
      assert.notInclude(logged, '#token=')
    } finally {
      await stack.stop()
    }
  })
})
