import { randomUUID } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'

/** The console's files are pages, not API answers: fetched directly, outside the contract check. */
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
