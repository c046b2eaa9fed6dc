import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import fc from 'fast-check'
import {
  hostileCursor,
  hostileHeaderValue,
  hostileInstant,
  hostilePathSegment,
  hostileText as text,
  hostileValues,
} from '../../src/testing/hostile.ts'
import type { LedgerResponse } from '../support/ledger_client.ts'
import { ledger } from '../support/shared_ledger.ts'
import { uniqueRef } from '../support/ledger_client.ts'

/**
 * Hostile input, generated: whatever a caller sends, ledger-core answers
 * with a success or a 4xx problem (never a 5xx), every answer is one its
 * contract allows (the client checks each against openapi.yaml), only a
 * posted transfer moves money, and the invariants hold afterwards.
 */

function assertAnswered(assert: Assert, response: LedgerResponse) {
  assert.isBelow(response.status, 500, `${response.status} ${JSON.stringify(response.body)}`)
  if (response.status >= 400) {
    assert.include(response.headers.get('content-type'), 'application/problem+json')
  }
}

async function balanceOf(id: string) {
  return (await ledger().get(`/v1/accounts/${id}`)).body.balance as number
}

async function assertInvariants(assert: Assert) {
  const report = await ledger().get('/v1/invariants')
  assert.isTrue(report.body.ok, JSON.stringify(report.body))
}

test.group('Hostile input, generated', () => {
  test('POST /v1/transfers: any body and key get 201 or a 4xx; only a posted 201 moves money', async ({
    assert,
  }) => {
    const start = 1_000_000
    const from = await ledger().fundedAccount(uniqueRef(), start)
    const to = await ledger().account(uniqueRef())
    const euro = await ledger().account(uniqueRef(), 'EUR')
    const field = fc.constantFrom(
      'debit_account_id',
      'credit_account_id',
      'amount',
      'currency',
      'pending',
      'timeout_ms',
      'description',
      'metadata',
      'status',
      '__proto__'
    )
    const value = hostileValues(
      from.id,
      to.id,
      euro.id,
      randomUUID(),
      start + 1,
      'EUR',
      'usd',
      true,
      999,
      1_000,
      { note: 'x' },
      { 'a b': 'x' }
    )
    // A valid transfer, then some of its fields replaced, removed or joined by others.
    const body = fc
      .tuple(
        fc.integer({ min: 1, max: 5_000 }),
        fc.oneof(fc.constant({}), fc.dictionary(field, value, { noNullPrototype: true })),
        fc.subarray(['debit_account_id', 'credit_account_id', 'amount', 'currency'], {
          maxLength: 1,
        })
      )
      .map(([amount, changes, dropped]) => {
        const transfer: Record<string, unknown> = {
          debit_account_id: from.id,
          credit_account_id: to.id,
          amount,
          currency: 'USD',
          ...changes,
        }
        for (const name of dropped) delete transfer[name]
        return transfer
      })
    const key = fc.oneof(
      { arbitrary: fc.uuid(), weight: 4 },
      fc.constant(null),
      fc.constantFrom(uniqueRef('k1'), uniqueRef('k2')),
      fc.string({ maxLength: 300 })
    )
    let moved = 0
    await fc.assert(
      fc.asyncProperty(body, key, async (transfer, idempotencyKey) => {
        const response = await ledger().request('POST', '/v1/transfers', {
          body: transfer,
          headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey },
        })
        assertAnswered(assert, response)
        const fresh = response.headers.get('idempotent-replayed') !== 'true'
        if (response.status === 201 && fresh && response.body.status === 'posted') {
          if (response.body.debit_account_id === from.id) moved += response.body.amount
          else moved -= response.body.amount
        }
      }),
      { numRuns: 300 }
    )
    assert.equal(await balanceOf(from.id), start - moved)
    assert.equal(await balanceOf(to.id), moved)
    await assertInvariants(assert)
  })

  test('batches, posts, voids and reversals: any body gets a success or a 4xx', async ({
    assert,
  }) => {
    const from = await ledger().fundedAccount(uniqueRef(), 100_000)
    const to = await ledger().account(uniqueRef())
    const pending = await ledger().transfer(from.id, to.id, 500, { pending: true })
    const posted = await ledger().transfer(from.id, to.id, 500)
    // The routes below act on these two; each must exist for the runs to mean anything.
    assert.deepEqual([pending.status, posted.status], [201, 201])
    const item = fc.dictionary(
      fc.constantFrom('debit_account_id', 'credit_account_id', 'amount', 'currency', 'pending'),
      hostileValues(from.id, to.id, 1, 'USD'),
      { noNullPrototype: true }
    )
    const routes: [string, fc.Arbitrary<Record<string, unknown>>][] = [
      ['/v1/transfers/batch', fc.record({ transfers: fc.array(item, { maxLength: 3 }) })],
      [
        `/v1/transfers/${pending.body.id}/post`,
        fc.dictionary(fc.constantFrom('amount', 'reason'), hostileValues(1, 500, 501)),
      ],
      [
        `/v1/transfers/${pending.body.id}/void`,
        fc.dictionary(fc.constantFrom('reason'), hostileValues('no longer needed')),
      ],
      [
        `/v1/transfers/${posted.body.id}/reversals`,
        fc.dictionary(
          fc.constantFrom('amount', 'reason', 'description'),
          hostileValues(1, 500, 501)
        ),
      ],
    ]
    for (const [path, body] of routes) {
      await fc.assert(
        fc.asyncProperty(body, async (sent) => {
          assertAnswered(assert, await ledger().post(path, sent))
        }),
        { numRuns: 40 }
      )
    }
    await assertInvariants(assert)
  })

  test('lists and lookups: any query string or path segment gets 200 or a 4xx', async ({
    assert,
  }) => {
    const account = await ledger().fundedAccount(uniqueRef(), 100)
    const nearMiss = fc.constantFrom(
      account.id,
      account.owner_ref,
      'USD',
      'active',
      '0',
      '-1',
      '101',
      '1e3',
      'eyJ0IjoiMjAyNi0wMS0wMSIsImlkIjoieCJ9'
    )
    const query = (names: string[]) =>
      fc.dictionary(fc.constantFrom(...names), fc.oneof(nearMiss, text), { noNullPrototype: true })
    const lists: [string, string[]][] = [
      ['/v1/accounts', ['owner_ref', 'currency', 'status', 'limit', 'cursor']],
      [`/v1/accounts/${account.id}/transfers`, ['limit', 'cursor']],
      [`/v1/accounts/${account.id}/entries`, ['limit', 'cursor', 'from', 'to']],
    ]
    for (const [path, names] of lists) {
      await fc.assert(
        fc.asyncProperty(query(names), async (params) => {
          assertAnswered(assert, await ledger().get(`${path}?${new URLSearchParams(params)}`))
        }),
        { numRuns: 60 }
      )
    }
    // Dot segments, which fetch resolves before sending (`/v1/transfers/.` is `/v1/transfers/`),
    // always, not only when the generator happens to draw them.
    const lookups = (id: string) => [
      `/v1/accounts/${id}`,
      `/v1/accounts/${id}/balance`,
      `/v1/accounts/${id}/entries`,
      `/v1/transfers/${id}`,
      `/v1/transfers/${id}/entries`,
    ]
    for (const path of [...lookups('.'), ...lookups('..')]) {
      assertAnswered(assert, await ledger().get(path))
    }
    await fc.assert(
      // An empty segment is another route.
      fc.asyncProperty(text.filter(Boolean), async (segment) => {
        const id = encodeURIComponent(segment)
        for (const path of lookups(id)) assertAnswered(assert, await ledger().get(path))
      }),
      { numRuns: 60 }
    )
  })

  test('paths, cursors, instants and headers: any of them gets an answer, never a 5xx', async ({
    assert,
  }) => {
    const account = await ledger().fundedAccount(uniqueRef(), 1_000)
    const other = await ledger().account(uniqueRef())
    await ledger().fundedAccount(uniqueRef(), 1)
    const transfer = await ledger().transfer(account.id, other.id, 1)
    await fc.assert(
      fc.asyncProperty(hostilePathSegment, async (segment) => {
        for (const path of [
          `/v1/accounts/${segment}`,
          `/v1/accounts/${segment}/entries`,
          `/v1/transfers/${segment}/entries`,
        ]) {
          assertAnswered(assert, await ledger().get(path))
        }
        assertAnswered(assert, await ledger().post(`/v1/transfers/${segment}/reversals`, {}))
      }),
      { numRuns: 80 }
    )
    // The API's own cursors, mutated: each list's, from a first page of one.
    for (const path of ['/v1/accounts', `/v1/accounts/${account.id}/entries`]) {
      const cursor = (await ledger().get(`${path}?limit=1`)).body.next_cursor as string
      assert.isString(cursor)
      await fc.assert(
        fc.asyncProperty(hostileCursor(cursor), async (mutated) => {
          const query = new URLSearchParams({ limit: '1', cursor: mutated })
          assertAnswered(assert, await ledger().get(`${path}?${query}`))
        }),
        { numRuns: 80 }
      )
    }
    await fc.assert(
      fc.asyncProperty(hostileInstant, hostileInstant, async (from, to) => {
        const entries = new URLSearchParams({ from, to })
        assertAnswered(assert, await ledger().get(`/v1/accounts/${account.id}/entries?${entries}`))
        const asOf = new URLSearchParams({ as_of: from })
        assertAnswered(assert, await ledger().get(`/v1/accounts/${account.id}/balance?${asOf}`))
      }),
      { numRuns: 120 }
    )
    const headers = fc.dictionary(
      fc.constantFrom(
        'idempotency-key',
        'content-encoding',
        'accept',
        'content-type',
        'x-request-id'
      ),
      hostileHeaderValue,
      { noNullPrototype: true }
    )
    await fc.assert(
      fc.asyncProperty(headers, async (sent) => {
        const payment = await ledger().request('POST', '/v1/transfers', {
          body: {
            debit_account_id: account.id,
            credit_account_id: other.id,
            amount: 1,
            currency: 'USD',
          },
          headers: { 'idempotency-key': randomUUID(), ...sent },
        })
        assertAnswered(assert, payment)
        assertAnswered(
          assert,
          await ledger().request('GET', `/v1/transfers/${transfer.body.id}`, { headers: sent })
        )
      }),
      { numRuns: 80 }
    )
    await assertInvariants(assert)
  })
})
