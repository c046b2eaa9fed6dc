import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'

const base = `http://${process.env.HOST}:${process.env.PORT}`
const password = 'correct horse battery'

/** A browser's request: its Origin, the cookie it holds, the header a page's script adds. */
function post(
  path: string,
  options: { cookie?: string; origin?: string; session?: boolean; body?: unknown; token?: string }
) {
  return fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.cookie ? { cookie: `purse_refresh=${options.cookie}` } : {}),
      ...(options.session === false ? {} : { 'purse-session': 'cookie' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify(options.body ?? {}),
  })
}

/** The refresh cookie an answer sets, and its attributes. */
function refreshCookie(response: Response) {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('purse_refresh='))
  if (!header) return null
  const [pair, ...attributes] = header.split('; ')
  return {
    value: pair!.slice('purse_refresh='.length),
    attributes: attributes.map((a) => a.toLowerCase()),
  }
}

async function signUpWithCookie() {
  const answer = await post('/auth/register', {
    origin: base,
    body: { email: `${randomUUID()}@example.com`, password, full_name: 'Browser Person' },
  })
  const body = (await answer.json()) as { access_token: string; refresh_token: string | null }
  return { answer, body, cookie: refreshCookie(answer) }
}

test.group('Cookie sessions for browser apps', () => {
  test('sign-up with Purse-Session: cookie keeps the refresh token out of the body, in an HttpOnly cookie', async ({
    assert,
  }) => {
    const { answer, body, cookie } = await signUpWithCookie()
    assert.equal(answer.status, 201)
    assert.isNull(body.refresh_token)
    assert.isString(body.access_token)
    assert.isNotNull(cookie)
    assert.includeMembers(cookie!.attributes, ['httponly', 'samesite=strict', 'path=/api/v1/auth'])
    assert.isTrue(cookie!.attributes.some((a) => a.startsWith('max-age=')))
    // Without the header, nothing changes for servers and partners: the token is in the body.
    const plain = await post('/auth/register', {
      session: false,
      body: { email: `${randomUUID()}@example.com`, password, full_name: 'Server' },
    })
    assert.isString(((await plain.json()) as { refresh_token: string }).refresh_token)
    assert.isNull(refreshCookie(plain))
  })

  test('refresh reads and rotates the cookie; the spent cookie coming back ends the session', async ({
    assert,
  }) => {
    const { cookie } = await signUpWithCookie()
    const first = await post('/auth/refresh', { origin: base, cookie: cookie!.value })
    assert.equal(first.status, 200)
    assert.isNull(((await first.json()) as { refresh_token: null }).refresh_token)
    const next = refreshCookie(first)!
    assert.notEqual(next.value, cookie!.value)
    const reused = await post('/auth/refresh', { origin: base, cookie: cookie!.value })
    assert.equal(reused.status, 401)
    assert.equal(((await reused.json()) as { code: string }).code, 'refresh_token_reused')
    // The whole family ended, the newest cookie included.
    const after = await post('/auth/refresh', { origin: base, cookie: next.value })
    assert.equal(after.status, 401)
  })

  test('another site cannot use the cookie: no header, a foreign Origin or none are refused', async ({
    assert,
  }) => {
    const { cookie } = await signUpWithCookie()
    const foreign = await post('/auth/refresh', {
      origin: 'https://evil.example',
      cookie: cookie!.value,
    })
    assert.equal(foreign.status, 403)
    const noOrigin = await post('/auth/refresh', { cookie: cookie!.value })
    assert.equal(noOrigin.status, 403)
    // A form on another site can send neither the header nor JSON: the cookie is never read.
    const form = await fetch(`${base}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'origin': 'https://evil.example',
        'cookie': `purse_refresh=${cookie!.value}`,
      },
      body: 'refresh_token=x',
    })
    assert.equal(form.status, 415)
    const textForm = await fetch(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'origin': 'https://evil.example',
        'cookie': `purse_refresh=${cookie!.value}`,
      },
      body: '{}',
    })
    assert.isAtLeast(textForm.status, 400)
    // The session is intact after all of that.
    const mine = await post('/auth/refresh', { origin: base, cookie: cookie!.value })
    assert.equal(mine.status, 200)
  })

  test('logout with the cookie ends the session and clears the cookie', async ({ assert }) => {
    const { body, cookie } = await signUpWithCookie()
    const out = await post('/auth/logout', {
      origin: base,
      cookie: cookie!.value,
      token: body.access_token,
    })
    assert.equal(out.status, 204)
    const cleared = refreshCookie(out)!
    assert.equal(cleared.value, '')
    assert.isTrue(
      cleared.attributes.some((a) => a === 'max-age=-1' || a.startsWith('expires=thu, 01 jan 1970'))
    )
    const after = await post('/auth/refresh', { origin: base, cookie: cookie!.value })
    assert.equal(after.status, 401)
    const me = await fetch(`${base}/api/v1/me`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    })
    assert.equal(me.status, 401)
  })
})
