import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import redis from '@adonisjs/redis/services/main'
import { SignJWT, decodeJwt } from 'jose'
import User from '#models/user'
import { RevocationService, revocations } from '#identity/revocation_service'
import { password, signUp } from '#tests/support/people'

test.group('Auth: register', () => {
  test('creates the user, normalises the email and returns a token pair', async ({
    client,
    assert,
  }) => {
    const local = randomUUID()
    const response = await client.post('/api/v1/auth/register').json({
      email: `  ${local}@EXAMPLE.com `,
      password,
      full_name: 'Ada Lovelace',
      phone: '+14155550101',
    })
    response.assertStatus(201)
    const body = response.body()
    assert.equal(body.user.email, `${local}@example.com`)
    assert.equal(body.token_type, 'Bearer')
    assert.isAtLeast(body.expires_in, 900)
    assert.notProperty(body.user, 'password')
    const row = await db.from('users').where('email', `${local}@example.com`).first()
    assert.notEqual(row.password, password)
    assert.match(row.password, /^\$argon2id\$/)
  })

  test('opens a USD wallet for the new user', async ({ client, assert }) => {
    const person = await signUp(client)
    const wallets = await client.get('/api/v1/wallets').bearerToken(person.access_token)
    assert.deepEqual(
      wallets.body().data.map((w: any) => [w.currency, w.balance]),
      [['USD', 0]]
    )
  })

  test('a second sign-up with the same email, in any case or width, is email_taken', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const fullWidth = person.email.toUpperCase().replace('E', 'Ｅ')
    const again = await client
      .post('/api/v1/auth/register')
      .json({ email: fullWidth, password, full_name: 'Copy' })
    again.assertStatus(409)
    assert.equal(again.body().code, 'email_taken')
    const rows = await db.from('users').where('email', person.email)
    assert.lengthOf(rows, 1)
  })

  test('a password and a name are counted in characters, as the contract counts them', async ({
    client,
    assert,
  }) => {
    // Four characters, eight UTF-16 units: too short.
    const short = await client.post('/api/v1/auth/register').json({
      email: `short-${randomUUID()}@example.com`,
      password: '😀😀😀😀',
      full_name: 'Short',
    })
    short.assertStatus(422)
    assert.deepEqual(
      short.body().errors.map((e: any) => e.field),
      ['password']
    )
    // 128 and 100 characters, twice as many UTF-16 units: the longest allowed.
    const email = `long-${randomUUID()}@example.com`
    const longest = { email, password: '🔑'.repeat(128), full_name: '🙂'.repeat(100) }
    const created = await client.post('/api/v1/auth/register').json(longest)
    created.assertStatus(201)
    assert.equal(created.body().user.full_name, longest.full_name)
    ;(
      await client.post('/api/v1/auth/login').json({ email, password: longest.password })
    ).assertStatus(200)
    const over = await client.post('/api/v1/auth/login').json({ email, password: '🔑'.repeat(129) })
    over.assertStatus(422)
  })

  test('refuses bad input with per-field errors and stores nothing', async ({ client, assert }) => {
    const email = `${randomUUID()}@example.com`
    for (const body of [
      { email, password: 'short', full_name: 'X' },
      { email, password: 'x'.repeat(100_000), full_name: 'X' },
      { email: 'not-an-email', password, full_name: 'X' },
      { email, password, full_name: '' },
      { email, password: 12345678, full_name: 'X' },
    ]) {
      const response = await client.post('/api/v1/auth/register').json(body)
      assert.oneOf(response.status(), [413, 422])
      if (response.status() === 422) {
        assert.equal(response.body().code, 'validation_failed')
        assert.isArray(response.body().errors)
      }
    }
    assert.isNull(await db.from('users').where('email', email).first())
  })

  test('ignores fields it does not know, such as role', async ({ client, assert }) => {
    const email = `${randomUUID()}@example.com`
    const response = await client
      .post('/api/v1/auth/register')
      .json({ email, password, full_name: 'Mallory', role: 'admin', status: 'active' })
    response.assertStatus(201)
    assert.equal(response.body().user.role, 'user')
  })
})

test.group('Auth: login', () => {
  test('the right password signs in; a wrong one and an unknown email look the same', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const ok = await client
      .post('/api/v1/auth/login')
      .json({ email: person.email.toUpperCase(), password })
    ok.assertStatus(200)
    assert.isString(ok.body().access_token)
    const wrong = await client
      .post('/api/v1/auth/login')
      .json({ email: person.email, password: 'wrong password' })
    const unknown = await client
      .post('/api/v1/auth/login')
      .json({ email: `${randomUUID()}@example.com`, password })
    wrong.assertStatus(401)
    unknown.assertStatus(401)
    assert.equal(wrong.body().code, 'invalid_credentials')
    assert.equal(wrong.body().detail, unknown.body().detail)
  })

  test('a password is the same however its accents are composed', async ({ client, assert }) => {
    const email = `${randomUUID()}@example.com`
    const composed = 'Café crème 2024' // é and è as one code point each
    const decomposed = composed.normalize('NFD') // e + U+0301, e + U+0300
    assert.notEqual(composed, decomposed)
    const registered = await client
      .post('/api/v1/auth/register')
      .json({ email, password: composed, full_name: 'Accents' })
    registered.assertStatus(201)
    const login = await client.post('/api/v1/auth/login').json({ email, password: decomposed })
    login.assertStatus(200)
  })

  test('a password hashed as typed before normalisation still signs in, and is rehashed', async ({
    client,
    assert,
  }) => {
    const email = `${randomUUID()}@example.com`
    const typed = 'Café crème 2024'.normalize('NFD')
    // A row as the sign-up before normalisation left it.
    const user = await User.create({
      email,
      password: await hash.make(typed),
      passwordNormalized: false,
      fullName: 'Before',
      phone: null,
      role: 'user',
      status: 'active',
    })
    const other = await client
      .post('/api/v1/auth/login')
      .json({ email, password: typed.normalize('NFC') })
    other.assertStatus(401)
    const asTyped = await client.post('/api/v1/auth/login').json({ email, password: typed })
    asTyped.assertStatus(200)
    await user.refresh()
    assert.isTrue(user.passwordNormalized)
    for (const form of [typed, typed.normalize('NFC')]) {
      const again = await client.post('/api/v1/auth/login').json({ email, password: form })
      again.assertStatus(200)
    }
  })

  test('five failures in a row, even in parallel, then 429 with Retry-After', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.post('/api/v1/auth/login').json({ email: person.email, password: 'nope nope' })
      )
    )
    const statuses = answers.map((a) => a.status())
    assert.equal(statuses.filter((s) => s === 401).length, 5)
    assert.equal(statuses.filter((s) => s === 429).length, 5)
    const blocked = await client.post('/api/v1/auth/login').json({ email: person.email, password })
    blocked.assertStatus(429)
    assert.equal(blocked.body().code, 'too_many_attempts')
    assert.isAbove(Number(blocked.header('retry-after')), 0)
  })
})

test.group('Auth: tokens', () => {
  test('refresh rotates the pair; presenting the old token revokes the whole family and its access tokens', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const first = await client
      .post('/api/v1/auth/refresh')
      .json({ refresh_token: person.refresh_token })
    first.assertStatus(200)
    const newest = first.body().refresh_token
    assert.notEqual(newest, person.refresh_token)
    const reused = await client
      .post('/api/v1/auth/refresh')
      .json({ refresh_token: person.refresh_token })
    reused.assertStatus(401)
    assert.equal(reused.body().code, 'refresh_token_reused')
    const afterReuse = await client.post('/api/v1/auth/refresh').json({ refresh_token: newest })
    afterReuse.assertStatus(401)
    // The access tokens the family issued end with it.
    for (const token of [person.access_token, first.body().access_token])
      (await client.get('/api/v1/me').bearerToken(token)).assertStatus(401)
    const stored = await db.from('refresh_tokens').where('user_id', person.user.id)
    assert.isTrue(stored.every((t) => t.revoked_at !== null || t.rotated_at !== null))
    assert.isFalse(stored.some((t) => t.token_hash === newest))
  })

  test('logout revokes the refresh token and the access token used', async ({ client }) => {
    const person = await signUp(client)
    const logout = await client
      .post('/api/v1/auth/logout')
      .bearerToken(person.access_token)
      .json({ refresh_token: person.refresh_token })
    logout.assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(person.access_token)).assertStatus(401)
    ;(
      await client.post('/api/v1/auth/refresh').json({ refresh_token: person.refresh_token })
    ).assertStatus(401)
  })

  test("logout ends the whole session: another tab's tokens too, other sessions not", async ({
    client,
  }) => {
    const person = await signUp(client)
    const elsewhere = await client
      .post('/api/v1/auth/login')
      .json({ email: person.email, password })
    // A second tab refreshed; the first still holds the tokens it had.
    const tab = await client
      .post('/api/v1/auth/refresh')
      .json({ refresh_token: person.refresh_token })
    tab.assertStatus(200)
    ;(await client.get('/api/v1/me').bearerToken(tab.body().access_token)).assertStatus(200)
    const logout = await client
      .post('/api/v1/auth/logout')
      .bearerToken(person.access_token)
      .json({ refresh_token: person.refresh_token })
    logout.assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(tab.body().access_token)).assertStatus(401)
    ;(
      await client.post('/api/v1/auth/refresh').json({ refresh_token: tab.body().refresh_token })
    ).assertStatus(401)
    // Signed in on another device: a session of its own, still open.
    ;(await client.get('/api/v1/me').bearerToken(elsewhere.body().access_token)).assertStatus(200)
  })

  test("logout with a refresh token not of this session still ends the caller's session", async ({
    client,
  }) => {
    const other = await signUp(client)
    for (const presented of [other.refresh_token, 'not-a-token-at-all']) {
      const person = await signUp(client)
      // Another tab of the same session, holding a refreshed pair.
      const tab = await client
        .post('/api/v1/auth/refresh')
        .json({ refresh_token: person.refresh_token })
      tab.assertStatus(200)
      ;(
        await client
          .post('/api/v1/auth/logout')
          .bearerToken(tab.body().access_token)
          .json({ refresh_token: presented })
      ).assertStatus(204)
      ;(
        await client.post('/api/v1/auth/refresh').json({ refresh_token: tab.body().refresh_token })
      ).assertStatus(401)
      ;(await client.get('/api/v1/me').bearerToken(tab.body().access_token)).assertStatus(401)
    }
    // Someone else's token changes nothing for them.
    ;(await client.get('/api/v1/me').bearerToken(other.access_token)).assertStatus(200)
    ;(
      await client.post('/api/v1/auth/refresh').json({ refresh_token: other.refresh_token })
    ).assertStatus(200)
  })

  test('a logged-out session stays refused as long as any replica may let its tokens live', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const { sid } = decodeJwt(person.access_token)
    // A token of the same session from a replica configured for 60 minutes
    // (during a rollout, or before this one's setting was lowered).
    const exp = Math.floor(Date.now() / 1000) + 60 * 60
    const longLived = await new SignJWT({ sid, iss: 'purse', aud: 'purse-api', exp })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(person.user.id)
      .setJti(randomUUID())
      .setIssuedAt()
      .sign(new TextEncoder().encode(process.env.JWT_SECRET!))
    ;(await client.get('/api/v1/me').bearerToken(longLived)).assertStatus(200)
    ;(
      await client
        .post('/api/v1/auth/logout')
        .bearerToken(person.access_token)
        .json({ refresh_token: person.refresh_token })
    ).assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(longLived)).assertStatus(401)
    // What every replica reloads: the revocation outlives that token.
    const row = await db
      .from('revoked_sessions')
      .where('sid', sid as string)
      .firstOrFail()
    assert.isAtLeast(new Date(row.expires_at).getTime(), exp * 1000)
  })

  test('a refresh racing a logout of the same token leaves nothing that refreshes', async ({
    client,
    assert,
  }) => {
    for (let i = 0; i < 5; i++) {
      const person = await signUp(client)
      const [logout, refresh] = await Promise.all([
        client
          .post('/api/v1/auth/logout')
          .bearerToken(person.access_token)
          .json({ refresh_token: person.refresh_token }),
        client.post('/api/v1/auth/refresh').json({ refresh_token: person.refresh_token }),
      ])
      logout.assertStatus(204)
      // Whichever came first, the session is over.
      if (refresh.status() === 200) {
        const next = await client
          .post('/api/v1/auth/refresh')
          .json({ refresh_token: refresh.body().refresh_token })
        assert.equal(next.status(), 401)
        const me = await client.get('/api/v1/me').bearerToken(refresh.body().access_token)
        assert.equal(me.status(), 401)
      } else {
        assert.equal(refresh.status(), 401)
      }
    }
  })

  test('a logout taken by another replica is refused here too: by {id}')
    .with([
      { table: 'revoked_access_tokens', id: 'jti' },
      { table: 'revoked_sessions', id: 'sid' },
    ] as const)
    .run(async ({ client, assert }, { table, id }) => {
      const heard = await signUp(client)
      const missed = await signUp(client)
      ;(await client.get('/api/v1/me').bearerToken(heard.access_token)).assertStatus(200)
      // The token itself (jti), or its whole session (sid), as another replica revokes it.
      const revokeElsewhere = async (token: string, announce: boolean) => {
        const claims = decodeJwt(token)
        const revoked = { [id]: claims[id], expires_at: claims.exp! * 1000 }
        await db.table(table).insert({ ...revoked, expires_at: new Date(revoked.expires_at) })
        if (announce) await redis.publish('purse:revocations', JSON.stringify(revoked))
      }
      // Announced on Redis, as another replica does: known here within moments.
      await revokeElsewhere(heard.access_token, true)
      let answer = 200
      for (let i = 0; i < 50 && answer !== 401; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        answer = (await client.get('/api/v1/me').bearerToken(heard.access_token)).status()
      }
      assert.equal(answer, 401)
      // The message missed (Redis down): the next read of PostgreSQL finds it.
      await revokeElsewhere(missed.access_token, false)
      await revocations.reload()
      ;(await client.get('/api/v1/me').bearerToken(missed.access_token)).assertStatus(401)
    })

  test('the revocation list stops reloading when the app terminates', async ({ assert }) => {
    // A reload after the pools close would reopen them and hold the process open.
    const terminating: (() => void)[] = []
    const service = new RevocationService({
      reloadIntervalMs: 20,
      onTerminating: (stop) => terminating.push(stop),
    })
    let reloads = 0
    const reload = service.reload.bind(service)
    service.reload = () => {
      reloads++
      return reload()
    }
    await service.start()
    await new Promise((resolve) => setTimeout(resolve, 150))
    assert.isAbove(reloads, 2)
    terminating.forEach((stop) => stop())
    const atTermination = reloads
    await new Promise((resolve) => setTimeout(resolve, 150))
    assert.equal(reloads, atTermination)
  })

  test('me shows the user without secrets', async ({ client, assert }) => {
    const person = await signUp(client, 'Grace Hopper')
    const me = await client.get('/api/v1/me').bearerToken(person.access_token)
    me.assertStatus(200)
    assert.equal(me.body().full_name, 'Grace Hopper')
    assert.notProperty(me.body(), 'password')
  })

  test('the Bearer scheme is read in any case, as HTTP says', async ({ client }) => {
    const person = await signUp(client)
    for (const scheme of ['bearer', 'BEARER']) {
      const me = await client
        .get('/api/v1/me')
        .header('authorization', `${scheme} ${person.access_token}`)
      me.assertStatus(200)
    }
    const basic = await client
      .get('/api/v1/me')
      .header('authorization', `Basic ${person.access_token}`)
    basic.assertStatus(401)
  })

  test('forged, foreign and expired tokens are 401 unauthorized', async ({ client, assert }) => {
    const person = await signUp(client)
    const [header, payload] = person.access_token.split('.')
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`
    const sign = (claims: Record<string, unknown>, key = process.env.JWT_SECRET!) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(person.user.id)
        .setJti(randomUUID())
        .setIssuedAt()
        .sign(new TextEncoder().encode(key))
    const tokens = [
      none,
      `${header}.${payload}.AAAA`,
      await sign(
        { iss: 'purse', aud: 'purse-api', exp: Math.floor(Date.now() / 1000) + 600 },
        'another-key-of-some-length-000000'
      ),
      await sign({ iss: 'purse', aud: 'someone-else', exp: Math.floor(Date.now() / 1000) + 600 }),
      await sign({ iss: 'purse', aud: 'purse-api', exp: Math.floor(Date.now() / 1000) - 10 }),
      'not-a-jwt',
    ]
    for (const token of tokens) {
      const response = await client.get('/api/v1/me').bearerToken(token)
      response.assertStatus(401)
      assert.equal(response.body().code, 'unauthorized')
    }
    ;(await client.get('/api/v1/me')).assertStatus(401)
  })
})
