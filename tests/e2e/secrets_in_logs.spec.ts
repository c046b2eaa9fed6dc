import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { linkToken, waitForMail } from '#tests/support/mailbox'
import { call, startTestStack } from '#tests/support/stack'

/**
 * The API as its own process at its most talkative (LOG_LEVEL=trace) through
 * every account-security flow: no password, token, code or mailed link may
 * appear in what it logs.
 */
test.group('Secrets stay out of the logs', () => {
  test('sign-up, verification, reset, change and sessions log no secret', async ({ assert }) => {
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

      const logged = stack.app.output()
      assert.isAbove(logged.length, 0, 'the process logged something')
      for (const secret of secrets) assert.notInclude(logged, secret)
      assert.notInclude(logged, '#token=')
    } finally {
      await stack.stop()
    }
  })
})
