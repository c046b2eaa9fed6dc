import { test } from '@japa/runner'

test.group('Health', () => {
  test('ready when the database, Redis and ledger-core all answer; live needs nothing', async ({
    client,
  }) => {
    const ready = await client.get('/health')
    ready.assertStatus(200)
    ready.assertBody({
      status: 'ok',
      checks: { database: 'ok', redis: 'ok', ledger: 'ok' },
    })
    ;(await client.get('/health/live')).assertBody({ status: 'ok' })
  })
})
