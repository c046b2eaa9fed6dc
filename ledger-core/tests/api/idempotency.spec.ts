import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { ledger } from '../support/shared_ledger.ts'
import { uniqueRef, type LedgerResponse } from '../support/ledger_client.ts'

test.group('Idempotency', () => {
  test('the same key and request returns the first response, and moves money once', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const key = randomUUID()
    const first = await ledger().transfer(a.id, b.id, 100, {}, key)
    const second = await ledger().transfer(a.id, b.id, 100, {}, key)
    assert.equal(first.status, 201)
    assert.isNull(first.headers.get('idempotent-replayed'))
    assert.equal(second.status, 201)
    assert.equal(second.headers.get('idempotent-replayed'), 'true')
    assert.deepEqual(second.body, first.body)
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 900)
  })

  test('field order does not make a different request', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const key = randomUUID()
    await ledger().post(
      '/v1/transfers',
      { debit_account_id: a.id, credit_account_id: b.id, amount: 5, currency: 'USD' },
      key
    )
    const reordered = await ledger().post(
      '/v1/transfers',
      { currency: 'USD', amount: 5, credit_account_id: b.id, debit_account_id: a.id },
      key
    )
    assert.equal(reordered.headers.get('idempotent-replayed'), 'true')
  })

  test('the same key with a different request is idempotency_key_reused and changes nothing', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const key = randomUUID()
    await ledger().transfer(a.id, b.id, 100, {}, key)
    const other = await ledger().transfer(a.id, b.id, 200, {}, key)
    assert.equal(other.status, 422)
    assert.equal(other.body.code, 'idempotency_key_reused')
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 900)
  })

  test('a refusal is stored too: the retry gets the same answer', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 50)
    const b = await ledger().account(uniqueRef())
    const key = randomUUID()
    const first = await ledger().transfer(a.id, b.id, 100, {}, key)
    assert.equal(first.body.code, 'insufficient_funds')
    const funding = await ledger().fundingAccount()
    await ledger().transfer(funding.id, a.id, 1_000)
    const retry = await ledger().transfer(a.id, b.id, 100, {}, key)
    assert.equal(retry.status, 422)
    assert.equal(retry.body.code, 'insufficient_funds')
    assert.equal(retry.headers.get('idempotent-replayed'), 'true')
  })

  test('concurrent requests with one key: one transfer, the rest replay or are told it is in use', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 1_000)
    const b = await ledger().account(uniqueRef())
    const key = randomUUID()
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => ledger().transfer(a.id, b.id, 10, {}, key))
    )
    for (const answer of answers) {
      assert.oneOf(answer.status, [201, 409])
      if (answer.status === 409) assert.equal(answer.body.code, 'idempotency_key_in_use')
    }
    assert.equal(new Set(answers.filter((x) => x.status === 201).map((x) => x.body.id)).size, 1)
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 990)
  })

  test('money-moving calls require a key', async ({ assert }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 100)
    const b = await ledger().account(uniqueRef())
    const response = await ledger().post(
      '/v1/transfers',
      { debit_account_id: a.id, credit_account_id: b.id, amount: 1, currency: 'USD' },
      null
    )
    assert.equal(response.status, 400)
    assert.equal(response.body.code, 'idempotency_key_required')
    assert.equal((await ledger().get(`/v1/accounts/${a.id}`)).body.balance, 100)
  })

  test('every write replays its first answer byte for byte, whatever happened to its transfers since', async ({
    assert,
  }) => {
    const a = await ledger().fundedAccount(uniqueRef(), 10_000)
    const b = await ledger().account(uniqueRef())
    const system = await ledger().fundingAccount()
    // Key order as sent, integer-like keys, escapes: all as in the first answer.
    const metadata = { zeta: 'z', alpha: 'é\u2028', 10: 'ten', 2: 'two', q: 'a"b\\' }
    const transfer = (extra: object = {}) => ({
      debit_account_id: a.id,
      credit_account_id: b.id,
      amount: 100,
      currency: 'USD',
      metadata,
      ...extra,
    })
    const writes: { path: string; body: unknown; key: string; first: LedgerResponse }[] = []
    const write = async (path: string, body: unknown) => {
      const key = randomUUID()
      const first = await ledger().post(path, body, key)
      assert.include([200, 201], first.status, first.text)
      writes.push({ path, body, key, first })
      return first.body
    }
    const posted = await write('/v1/transfers', transfer({ description: 'rent' }))
    const held = await write('/v1/transfers', transfer({ pending: true, timeout_ms: 60_000 }))
    const toVoid = await write('/v1/transfers', transfer({ pending: true }))
    const batch = await write('/v1/transfers/batch', {
      transfers: [transfer(), transfer({ pending: true }), transfer({ amount: 7 })],
    })
    await write(`/v1/transfers/${held.id}/post`, { amount: 60 })
    await write(`/v1/transfers/${toVoid.id}/void`, undefined)
    await write(`/v1/transfers/${posted.id}/reversals`, { amount: 30 })

    // Then every transfer those writes made or touched changes again.
    const later = [
      await ledger().post(`/v1/transfers/${posted.id}/reversals`, { amount: 20 }),
      await ledger().post(`/v1/transfers/${held.id}/reversals`, { cover_account_id: system.id }),
      await ledger().post(`/v1/transfers/${batch.transfers[1].id}/post`, {}),
      await ledger().post(`/v1/transfers/${batch.transfers[0].id}/reversals`, {}),
    ]
    for (const response of later) assert.include([200, 201], response.status, response.text)

    for (const { path, body, key, first } of writes) {
      const replay = await ledger().post(path, body, key)
      assert.equal(replay.headers.get('idempotent-replayed'), 'true', path)
      assert.equal(replay.status, first.status, path)
      assert.equal(replay.text, first.text, path)
    }
  })
})
