import { randomUUID } from 'node:crypto'
import { access, mkdir, rm, writeFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'

/** The console's and the wallet's files are pages, not API answers: fetched directly, outside the contract check. */
const base = `http://${process.env.HOST}:${process.env.PORT}`

test.group('Console files', (group) => {
  const name = `probe-${randomUUID()}.txt`
  const files = [app.publicPath('admin', name), app.publicPath(name)]
  group.setup(async () => {
    await mkdir(app.publicPath('admin'), { recursive: true })
    for (const file of files) await writeFile(file, 'probe')
  })
  group.teardown(async () => {
    for (const file of files) await rm(file, { force: true })
  })

  test('files under /admin are served with the page headers', async ({ assert }) => {
    const answer = await fetch(`${base}/admin/${name}`)
    assert.equal(answer.status, 200)
    assert.equal(await answer.text(), 'probe')
    assert.equal(answer.headers.get('cache-control'), 'no-cache')
    assert.include(answer.headers.get('content-security-policy')!, "default-src 'self'")
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff')
  })

  test('nothing else in public/ is served', async ({ assert }) => {
    const answer = await fetch(`${base}/${name}`)
    assert.equal(answer.status, 404)
    assert.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  })
})

test.group('Web wallet files', (group) => {
  const index = app.publicPath('app', 'index.html')
  let made = false
  group.setup(async () => {
    // A built wallet is used as it is; without one, a stand-in index for these checks.
    if (
      await access(index).then(
        () => false,
        () => true
      )
    ) {
      await mkdir(app.publicPath('app'), { recursive: true })
      await writeFile(index, '<!doctype html><title>Purse</title>')
      made = true
    }
  })
  group.teardown(async () => {
    if (made) await rm(index, { force: true })
  })

  test('a wallet screen deep link answers the app, never cached, under the strict page policy', async ({
    assert,
  }) => {
    for (const path of [
      '/app',
      '/app/',
      '/app/transfers/7d1f4f7e-1c1e-4b53-9a44-3c6f1f2a2b11',
      '/app/no/such/screen',
    ]) {
      const answer = await fetch(`${base}${path}`)
      assert.equal(answer.status, 200, path)
      assert.include(answer.headers.get('content-type')!, 'text/html', path)
      assert.equal(answer.headers.get('cache-control'), 'no-cache', path)
      const policy = answer.headers.get('content-security-policy')!
      assert.include(policy, "script-src 'self'", path)
      assert.include(policy, "frame-ancestors 'none'", path)
      assert.notInclude(policy, 'unsafe-eval', path)
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', path)
      assert.include(await answer.text(), '<title>Purse</title>', path)
    }
  })

  test('a missing asset, a dotted path and a write stay 404s; unknown API paths stay problem+json', async ({
    assert,
  }) => {
    for (const path of ['/app/assets/missing-0000.js', '/app/favicon.ico']) {
      assert.equal((await fetch(`${base}${path}`)).status, 404, path)
    }
    assert.equal((await fetch(`${base}/app/send`, { method: 'POST' })).status, 404)
    const api = await fetch(`${base}/api/v1/no-such-route`)
    assert.equal(api.status, 404)
    assert.equal(api.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  })
})

test.group('Capabilities', () => {
  test('say what this deployment allows, to anyone, as the contract describes', async ({
    client,
    assert,
  }) => {
    const answer = await client.get('/api/v1/capabilities')
    answer.assertStatus(200)
    assert.isTrue(answer.body().sandbox_deposits)
    assert.include(answer.body().currencies, 'USD')
    assert.equal(answer.body().description_length_max, 280)
    assert.isAbove(answer.body().transfer_amount_max, 0)
  })
})
