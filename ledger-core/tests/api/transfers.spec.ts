import { test } from '@japa/runner'
import { ledger } from '../support/shared_ledger.ts'
import { uniqueRef } from '../support/ledger_client.ts'

test.group('Transfers', () => {
  test('a posted transfer moves money and writes two entries', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const created = await ledger().transfer(a.id, b.id, 250, {
      description: 'Lunch',
      metadata: { order: '42' },
    })
    assert.equal(created.status, 201)
    assert.include(created.body, {
      amount: 250,
      posted_amount: 250,
      status: 'posted',
      currency: 'USD',
      description: 'Lunch',
    })
    assert.deepEqual(created.body.metadata, { order: '42' })

    const fetched = await ledger().get(`/v1/transfers/${created.body.id}`)
    assert.deepEqual(fetched.body, created.body)
    const entries = await ledger().get(`/v1/transfers/${created.body.id}/entries`)
    assert.deepEqual(
      entries.body.data.map((e: any) => [e.account_id, e.direction, e.amount, e.balance_after]),
      [
        [a.id, 'debit', 250, 750],
        [b.id, 'credit', 250, 250],
      ]
    )
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 750)
    assert.equal((await ledger().get(`/v1/accounts/${b.id}`)).body.balance, 250)
  })

  test('business refusals answer their code and change nothing', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 100)
    const b = await ledger().account(uniqueRef())
    const eur = await ledger().account(uniqueRef(), 'EUR')
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { debit_account_id: a.id, credit_account_id: b.id, amount: 101, currency: 'USD' },
        422,
        'insufficient_funds',
      ],
      [
        { debit_account_id: a.id, credit_account_id: a.id, amount: 1, currency: 'USD' },
        422,
        'same_account',
      ],
      [
        { debit_account_id: a.id, credit_account_id: eur.id, amount: 1, currency: 'USD' },
        422,
        'currency_mismatch',
      ],
      [
        { debit_account_id: a.id, credit_account_id: b.id, amount: 1, currency: 'EUR' },
        422,
        'currency_mismatch',
      ],
      [
        {
          debit_account_id: a.id,
          credit_account_id: '00000000-0000-7000-8000-000000000000',
          amount: 1,
          currency: 'USD',
        },
        404,
        'account_not_found',
      ],
      [
        { debit_account_id: a.id, credit_account_id: b.id, amount: 1, currency: 'ABC' },
        422,
        'validation_failed',
      ],
      [
        {
          debit_account_id: a.id,
          credit_account_id: b.id,
          amount: 1,
          currency: 'USD',
          timeout_ms: 5000,
        },
        422,
        'validation_failed',
      ],
    ]
    for (const [body, status, code] of cases) {
      const response = await ledger().post('/v1/transfers', body)
      assert.equal(response.status, status, JSON.stringify(body))
      assert.equal(response.body.code, code)
      assert.isString(response.body.request_id)
    }
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 100)
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.version, 1)
    assert.equal((await ledger().get(`/v1/accounts/${b.id}/transfers`)).body.data.length, 0)
  })

  test('transfer_not_found for unknown transfers', async ({ assert }) => {
    const missing = '00000000-0000-7000-8000-000000000000'
    for (const response of [
      await ledger().get(`/v1/transfers/${missing}`),
      await ledger().get(`/v1/transfers/${missing}/entries`),
      await ledger().post(`/v1/transfers/${missing}/post`),
      await ledger().post(`/v1/transfers/${missing}/void`),
      await ledger().post(`/v1/transfers/${missing}/reversals`),
    ]) {
      assert.equal(response.status, 404)
      assert.equal(response.body.code, 'transfer_not_found')
    }
  })

  test('lists an account’s transfers and entries newest first, each exactly once across pages', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 10_000)
    const b = await ledger().account(uniqueRef())
    const made: string[] = []
    for (let i = 1; i <= 7; i++) {
      const t = await ledger().transfer(i % 2 ? a.id : b.id, i % 2 ? b.id : a.id, i % 2 ? 10 : 1)
      assert.equal(t.status, 201)
      made.push(t.body.id)
    }
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const page: any = await ledger().get(
        `/v1/accounts/${b.id}/transfers?limit=3${cursor ? `&cursor=${cursor}` : ''}`
      )
      ids.push(...page.body.data.map((t: any) => t.id))
      cursor = page.body.next_cursor
    } while (cursor)
    assert.deepEqual(ids, [...made].reverse())

    const entries = await ledger().get(`/v1/accounts/${b.id}/entries?limit=100`)
    assert.lengthOf(entries.body.data, 7)
    // Newest first: each balance_after is the previous (older) one plus this entry.
    const oldestFirst = [...entries.body.data].reverse()
    let running = 0
    for (const entry of oldestFirst) {
      running += entry.direction === 'credit' ? entry.amount : -entry.amount
      assert.equal(entry.balance_after, running)
    }
    const windowed = await ledger().get(
      `/v1/accounts/${b.id}/entries?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`
    )
    assert.lengthOf(windowed.body.data, 0)
  })
})

test.group('Two-phase transfers', () => {
  test('hold, then post in part: the rest is released', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const hold = await ledger().transfer(a.id, b.id, 600, { pending: true })
    assert.equal(hold.status, 201)
    assert.include(hold.body, { status: 'pending', posted_amount: null })
    assert.include((await ledger().get(`/v1/accounts/${a.id}`)).body, {
      balance: 1_000,
      pending_debits: 600,
      available_balance: 400,
    })
    const tooMuch = await ledger().transfer(a.id, b.id, 401)
    assert.equal(tooMuch.body.code, 'insufficient_funds')

    const over = await ledger().post(`/v1/transfers/${hold.body.id}/post`, { amount: 601 })
    assert.equal(over.status, 422)
    assert.equal(over.body.code, 'amount_exceeds_pending')
    const posted = await ledger().post(`/v1/transfers/${hold.body.id}/post`, { amount: 450 })
    assert.equal(posted.status, 200)
    assert.include(posted.body, { status: 'posted', amount: 600, posted_amount: 450 })
    assert.include((await ledger().get(`/v1/accounts/${a.id}`)).body, {
      balance: 550,
      pending_debits: 0,
    })
    assert.equal((await ledger().get(`/v1/accounts/${b.id}`)).body.balance, 450)

    const again = await ledger().post(`/v1/transfers/${hold.body.id}/post`)
    assert.equal(again.status, 409)
    assert.equal(again.body.code, 'invalid_state')
    const voided = await ledger().post(`/v1/transfers/${hold.body.id}/void`)
    assert.equal(voided.body.code, 'invalid_state')
  })

  test('void releases the hold and moves nothing', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 300)
    const b = await ledger().account(uniqueRef())
    const hold = await ledger().transfer(a.id, b.id, 300, { pending: true })
    const voided = await ledger().post(`/v1/transfers/${hold.body.id}/void`)
    assert.equal(voided.status, 200)
    assert.equal(voided.body.status, 'voided')
    assert.include((await ledger().get(`/v1/accounts/${a.id}`)).body, {
      balance: 300,
      pending_debits: 0,
    })
    assert.lengthOf((await ledger().get(`/v1/transfers/${hold.body.id}/entries`)).body.data, 0)
  })

  test('a hold with a timeout expires by itself and releases its funds', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 300)
    const b = await ledger().account(uniqueRef())
    const hold = await ledger().transfer(a.id, b.id, 200, { pending: true, timeout_ms: 1000 })
    assert.isString(hold.body.expires_at)
    let status = 'pending'
    for (let i = 0; i < 60 && status === 'pending'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      status = (await ledger().get(`/v1/transfers/${hold.body.id}`)).body.status
    }
    assert.equal(status, 'expired')
    assert.include((await ledger().get(`/v1/accounts/${a.id}`)).body, {
      balance: 300,
      pending_debits: 0,
    })
    const post = await ledger().post(`/v1/transfers/${hold.body.id}/post`)
    assert.equal(post.body.code, 'invalid_state')
  })
})

test.group('Reversals', () => {
  test('reverse in full, linked and idempotent; a second reversal is refused', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 500)
    const b = await ledger().account(uniqueRef())
    const original = await ledger().transfer(a.id, b.id, 200)
    const key = `reverse-${original.body.id}`
    const reversal = await ledger().post(
      `/v1/transfers/${original.body.id}/reversals`,
      { description: 'Refund' },
      key
    )
    assert.equal(reversal.status, 201)
    assert.include(reversal.body, {
      reversal_of: original.body.id,
      debit_account_id: b.id,
      credit_account_id: a.id,
      amount: 200,
      description: 'Refund',
    })
    const replay = await ledger().post(
      `/v1/transfers/${original.body.id}/reversals`,
      { description: 'Refund' },
      key
    )
    assert.equal(replay.headers.get('idempotent-replayed'), 'true')
    assert.equal(replay.body.id, reversal.body.id)
    const second = await ledger().post(`/v1/transfers/${original.body.id}/reversals`, {})
    assert.equal(second.status, 409)
    assert.equal(second.body.code, 'already_reversed')
    assert.equal(
      (await ledger().get(`/v1/transfers/${original.body.id}`)).body.reversed_amount,
      200
    )
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 500)
    const ofReversal = await ledger().post(`/v1/transfers/${reversal.body.id}/reversals`, {})
    assert.equal(ofReversal.body.code, 'invalid_state')
  })

  test('fails cleanly when the money is gone, unless a system account covers it', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 500)
    const b = await ledger().account(uniqueRef())
    const c = await ledger().account(uniqueRef())
    const original = await ledger().transfer(a.id, b.id, 300)
    await ledger().transfer(b.id, c.id, 300)
    const refused = await ledger().post(`/v1/transfers/${original.body.id}/reversals`, {})
    assert.equal(refused.body.code, 'insufficient_funds')
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 200)
    const cover = await ledger().account('system:chargebacks', 'USD', {
      kind: 'system',
      allow_negative: true,
    })
    const covered = await ledger().post(`/v1/transfers/${original.body.id}/reversals`, {
      cover_account_id: cover.id,
    })
    assert.equal(covered.status, 201)
    assert.equal(covered.body.debit_account_id, cover.id)
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 500)
    const pending = await ledger().transfer(a.id, b.id, 10, { pending: true })
    assert.equal(
      (await ledger().post(`/v1/transfers/${pending.body.id}/reversals`, {})).body.code,
      'invalid_state'
    )
  })
})

test.group('Atomic batches', () => {
  test('all transfers apply, in order, in one go', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const fees = await ledger().account(uniqueRef('system'), 'USD', { kind: 'system' })
    const result = await ledger().post('/v1/transfers/batch', {
      transfers: [
        { debit_account_id: a.id, credit_account_id: b.id, amount: 900, currency: 'USD' },
        {
          debit_account_id: b.id,
          credit_account_id: fees.id,
          amount: 9,
          currency: 'USD',
          description: 'fee',
        },
      ],
    })
    assert.equal(result.status, 201)
    assert.lengthOf(result.body.transfers, 2)
    assert.equal((await ledger().get(`/v1/accounts/${b.id}`)).body.balance, 891)
    assert.equal((await ledger().get(`/v1/accounts/${fees.id}`)).body.balance, 9)
  })

  test('one failing transfer fails the batch with its index, and nothing applies', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const result = await ledger().post('/v1/transfers/batch', {
      transfers: [
        { debit_account_id: a.id, credit_account_id: b.id, amount: 600, currency: 'USD' },
        { debit_account_id: a.id, credit_account_id: b.id, amount: 600, currency: 'USD' },
      ],
    })
    assert.equal(result.status, 422)
    assert.equal(result.body.code, 'insufficient_funds')
    assert.equal(result.body.index, 1)
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 1_000)
    assert.lengthOf((await ledger().get(`/v1/accounts/${b.id}/transfers`)).body.data, 0)
  })

  test('batches sent at once are written in statements of at most 200 transfers', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000_000)
    const b = await ledger().account(uniqueRef())
    const leg = { debit_account_id: a.id, credit_account_id: b.id, amount: 1, currency: 'USD' }
    // Statements of more than two operations, so far (the histogram's buckets above 2).
    const wide = async () => {
      const text = await (
        await fetch(`${ledger().baseUrl}/metrics`, {
          headers: { authorization: `Bearer ${ledger().token}` },
        })
      ).text()
      const count = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0)
      return (
        count(/^ledger_writer_batch_ops_count (\d+)/m) -
        count(/^ledger_writer_batch_ops_bucket\{le="2"\} (\d+)/m)
      )
    }
    const before = await wide()
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        ledger().post('/v1/transfers/batch', { transfers: Array(100).fill(leg) })
      )
    )
    assert.deepEqual(
      results.map((r) => r.status),
      Array(8).fill(201)
    )
    assert.equal(await wide(), before)
    assert.equal((await ledger().get(`/v1/accounts/${b.id}`)).body.balance, 800)
  })

  test('refuses empty batches and batches over 100', async ({ assert }) => {
    const a = await ledger().account(uniqueRef())
    const b = await ledger().account(uniqueRef())
    const leg = { debit_account_id: a.id, credit_account_id: b.id, amount: 1, currency: 'USD' }
    assert.equal((await ledger().post('/v1/transfers/batch', { transfers: [] })).status, 422)
    assert.equal(
      (await ledger().post('/v1/transfers/batch', { transfers: Array(101).fill(leg) })).status,
      422
    )
  })
})
