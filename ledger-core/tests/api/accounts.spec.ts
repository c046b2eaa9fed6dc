import { test } from '@japa/runner'
import { ledger } from '../support/shared_ledger.ts'
import { uniqueRef } from '../support/ledger_client.ts'

test.group('Accounts', () => {
  test('ensure creates once, then returns the same account with 200', async ({ assert }) => {
    const owner = uniqueRef()
    const first = await ledger().post(
      '/v1/accounts',
      { owner_ref: owner, currency: 'JPY', metadata: { tier: 'gold' } },
      null
    )
    assert.equal(first.status, 201)
    assert.include(first.body, {
      owner_ref: owner,
      currency: 'JPY',
      kind: 'user',
      status: 'active',
      balance: 0,
      version: 0,
    })
    const again = await ledger().post('/v1/accounts', { owner_ref: owner, currency: 'JPY' }, null)
    assert.equal(again.status, 200)
    assert.equal(again.body.id, first.body.id)
  })

  test('concurrent ensures of one (owner, currency) create exactly one account', async ({
    assert,
  }) => {
    const owner = uniqueRef()
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger().post('/v1/accounts', { owner_ref: owner, currency: 'USD' }, null)
      )
    )
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1)
    assert.equal(answers.filter((a) => a.status === 201).length, 1)
    const list = await ledger().get(`/v1/accounts?owner_ref=${encodeURIComponent(owner)}`)
    assert.lengthOf(list.body.data, 1)
  })

  test('ensure with an idempotency key replays the first answer', async ({ assert }) => {
    const body = { owner_ref: uniqueRef(), currency: 'EUR' }
    const first = await ledger().post('/v1/accounts', body, 'ensure-key-' + body.owner_ref)
    const replay = await ledger().post('/v1/accounts', body, 'ensure-key-' + body.owner_ref)
    assert.equal(first.status, 201)
    assert.equal(replay.status, 201)
    assert.equal(replay.headers.get('idempotent-replayed'), 'true')
    assert.deepEqual(replay.body, first.body)
    const other = await ledger().post(
      '/v1/accounts',
      { ...body, currency: 'GBP' },
      'ensure-key-' + body.owner_ref
    )
    assert.equal(other.status, 422)
    assert.equal(other.body.code, 'idempotency_key_reused')
  })

  test('refuses unknown currencies, allow_negative on user accounts and unknown fields', async ({
    assert,
  }) => {
    const cases = [
      { owner_ref: uniqueRef(), currency: 'XYZ' },
      { owner_ref: uniqueRef(), currency: 'usd' },
      { owner_ref: uniqueRef(), currency: 'USD', allow_negative: true },
      { owner_ref: uniqueRef(), currency: 'USD', role: 'admin' },
      { owner_ref: 'has spaces', currency: 'USD' },
      {
        owner_ref: uniqueRef(),
        currency: 'USD',
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      },
      { owner_ref: uniqueRef(), currency: 'USD', metadata: { note: 'x'.repeat(501) } },
    ]
    for (const body of cases) {
      const response = await ledger().post('/v1/accounts', body, null)
      assert.equal(response.status, 422, JSON.stringify(body))
      assert.equal(response.body.code, 'validation_failed')
      assert.isArray(response.body.errors)
      const list = await ledger().get(
        `/v1/accounts?owner_ref=${encodeURIComponent(body.owner_ref)}`
      )
      if (list.status === 200) assert.lengthOf(list.body.data, 0)
    }
  })

  test('get, and account_not_found for an unknown or malformed id', async ({ assert }) => {
    const account = await ledger().account(uniqueRef())
    const found = await ledger().get(`/v1/accounts/${account.id}`)
    assert.deepEqual(found.body, account)
    const missing = await ledger().get('/v1/accounts/00000000-0000-7000-8000-000000000000')
    assert.equal(missing.status, 404)
    assert.equal(missing.body.code, 'account_not_found')
    const malformed = await ledger().get('/v1/accounts/not-a-uuid')
    assert.equal(malformed.status, 422)
    assert.equal(malformed.body.code, 'validation_failed')
  })

  test('lists newest first with cursors and filters', async ({ assert }) => {
    const owner = uniqueRef()
    const currencies = ['USD', 'EUR', 'JPY', 'GBP', 'CHF']
    const made = []
    for (const currency of currencies) made.push(await ledger().account(owner, currency))
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = `/v1/accounts?owner_ref=${encodeURIComponent(owner)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page = await ledger().get(query)
      assert.isAtMost(page.body.data.length, 2)
      seen.push(...page.body.data.map((a: any) => a.id))
      cursor = page.body.next_cursor
    } while (cursor)
    assert.deepEqual(seen, made.map((a) => a.id).reverse())
    const eur = await ledger().get(
      `/v1/accounts?owner_ref=${encodeURIComponent(owner)}&currency=EUR`
    )
    assert.deepEqual(
      eur.body.data.map((a: any) => a.currency),
      ['EUR']
    )
    const badCursor = await ledger().get('/v1/accounts?cursor=bm9wZQ')
    assert.equal(badCursor.status, 422)
    const badLimit = await ledger().get('/v1/accounts?limit=1000')
    assert.equal(badLimit.status, 422)
  })

  test('freeze stops money in both directions; unfreeze restores it; both are idempotent', async ({
    assert,
  }) => {
    const payer = await ledger().fundedAccount(uniqueRef(), 1_000)
    const payee = await ledger().account(uniqueRef())
    const frozen = await ledger().post(`/v1/accounts/${payee.id}/freeze`, undefined, null)
    assert.equal(frozen.status, 200)
    assert.equal(frozen.body.status, 'frozen')
    assert.equal(frozen.body.version, payee.version + 1)
    const twice = await ledger().post(`/v1/accounts/${payee.id}/freeze`, undefined, null)
    assert.equal(twice.body.version, frozen.body.version)

    const incoming = await ledger().transfer(payer.id, payee.id, 100)
    assert.equal(incoming.status, 422)
    assert.equal(incoming.body.code, 'account_frozen')
    const outgoing = await ledger().transfer(payee.id, payer.id, 1)
    assert.equal(outgoing.body.code, 'account_frozen')
    assert.equal((await ledger().get(`/v1/accounts/${payer.id}`)).body.balance, 1_000)

    const active = await ledger().post(`/v1/accounts/${payee.id}/unfreeze`, undefined, null)
    assert.equal(active.body.status, 'active')
    assert.equal((await ledger().transfer(payer.id, payee.id, 100)).status, 201)
    const unknown = await ledger().post(
      '/v1/accounts/00000000-0000-7000-8000-000000000000/freeze',
      undefined,
      null
    )
    assert.equal(unknown.body.code, 'account_not_found')
  })

  test('balance now and as of a past instant', async ({ assert }) => {
    const account = await ledger().fundedAccount(uniqueRef(), 500)
    const funding = await ledger().fundingAccount()
    const before = new Date(Date.now() - 60_000).toISOString()
    await new Promise((resolve) => setTimeout(resolve, 5))
    const middle = new Date().toISOString()
    await new Promise((resolve) => setTimeout(resolve, 5))
    await ledger().transfer(funding.id, account.id, 250)
    const now = await ledger().get(`/v1/accounts/${account.id}/balance`)
    assert.include(now.body, { balance: 750, pending_debits: 0, available_balance: 750 })
    const atMiddle = await ledger().get(
      `/v1/accounts/${account.id}/balance?as_of=${encodeURIComponent(middle)}`
    )
    assert.include(atMiddle.body, { balance: 500, pending_debits: null })
    const atStart = await ledger().get(
      `/v1/accounts/${account.id}/balance?as_of=${encodeURIComponent(before)}`
    )
    assert.equal(atStart.body.balance, 0)
    const bad = await ledger().get(`/v1/accounts/${account.id}/balance?as_of=yesterday`)
    assert.equal(bad.status, 422)
  })
})
