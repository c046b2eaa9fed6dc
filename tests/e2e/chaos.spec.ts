import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { ledger_test_token } from '#tests/support/stack'
import { buildProduction, startCluster, type Cluster } from '#tests/support/cluster'
import {
  expectedBalances,
  ledgerKey,
  recordedPayments,
  type Payment,
} from '#tests/support/payments'

const password = 'correct horse battery'
const people_count = 16
const funds = 50_000
const workers = 12
/** CHAOS_LOAD_S makes this a soak: a kill and restart every 10 s for that long. */
const load_ms = Number(process.env.CHAOS_LOAD_S ?? 12) * 1000
const kill_interval_ms = 10_000
const request_timeout_ms = 5_000

interface Attempt extends Payment {
  final?: 'paid' | 'refused'
}

/** One request through the balancer; a broken connection or timeout is `null` (unknown outcome). */
async function send(
  url: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  key?: string
) {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(request_timeout_ms),
    })
    const text = await response.text()
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: text ? JSON.parse(text) : null,
    }
  } catch {
    return null
  }
}

test.group('Replicas behind nginx under chaos', (group) => {
  let cluster: Cluster
  group.setup(async () => {
    await buildProduction()
    cluster = await startCluster(process.env.DATABASE_URL!)
    return () => cluster.stop()
  })

  test('kill and restart one app and one ledger-core mid-load: nothing lost, nothing twice', async ({
    assert,
  }) => {
    const url = cluster.balancer.appUrl
    const people: { id: string; token: string }[] = []
    for (let i = 0; i < people_count; i++) {
      const email = `chaos-${randomUUID()}@example.com`
      const signup = await send(url, 'POST', '/api/v1/auth/register', '', {
        email,
        password,
        full_name: `Chaos ${i}`,
      })
      assert.equal(signup?.status, 201)
      const token = signup!.body.access_token as string
      const deposit = await send(
        url,
        'POST',
        '/api/v1/deposits',
        token,
        { amount: funds },
        randomUUID()
      )
      assert.equal(deposit?.status, 201, JSON.stringify(deposit))
      people.push({ id: signup!.body.user.id as string, token })
    }

    const attempts: Attempt[] = []
    const unclean: string[] = []
    const seen = { paid: 0, refused: 0, unavailable: 0, broken: 0, reads: 0 }
    const clean = (r: Awaited<ReturnType<typeof send>>, ok: number[]) => {
      if (r === null) return seen.broken++
      if (ok.includes(r.status)) return
      if (r.status === 503 && r.type.includes('problem+json')) return seen.unavailable++
      unclean.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)
    }

    const deadline = Date.now() + load_ms
    const load = Array.from({ length: workers }, async () => {
      while (Date.now() < deadline) {
        const from = Math.floor(Math.random() * people_count)
        const roll = Math.random()
        if (roll < 0.2) {
          const read = await send(
            url,
            'GET',
            roll < 0.1 ? '/api/v1/wallet' : '/api/v1/transfers?limit=5',
            people[from]!.token
          )
          seen.reads++
          clean(read, [200])
          continue
        }
        const to = (from + 1 + Math.floor(Math.random() * (people_count - 1))) % people_count
        const attempt: Attempt = {
          key: randomUUID(),
          from,
          to,
          amount: 1 + Math.floor(Math.random() * 5_000),
        }
        attempts.push(attempt)
        const answer = await send(
          url,
          'POST',
          '/api/v1/transfers',
          people[from]!.token,
          { receiver_id: people[to]!.id, amount: attempt.amount },
          attempt.key
        )
        clean(answer, [201, 422])
        if (answer?.status === 201) attempt.final = 'paid'
        if (answer?.status === 422 && answer.body.code === 'insufficient_funds')
          attempt.final = 'refused'
      }
    })
    const chaos = (async () => {
      const start = Date.now()
      for (let at = load_ms / 3, i = 0; at < load_ms - 3_000; at += kill_interval_ms, i++) {
        await new Promise((resolve) => setTimeout(resolve, start + at - Date.now()))
        await Promise.all([cluster.kill('app', i % 2), cluster.kill('ledger', i % 2)])
        await new Promise((resolve) => setTimeout(resolve, 1_500))
        await Promise.all([cluster.restart('app', i % 2), cluster.restart('ledger', i % 2)])
      }
    })()
    await Promise.all([...load, chaos])

    // Settle every unknown outcome the way a client must: the same request, the same key.
    for (const attempt of attempts.filter((a) => !a.final)) {
      for (let i = 0; i < 40 && !attempt.final; i++) {
        const answer = await send(
          url,
          'POST',
          '/api/v1/transfers',
          people[attempt.from]!.token,
          { receiver_id: people[attempt.to]!.id, amount: attempt.amount },
          attempt.key
        )
        if (answer?.status === 201) attempt.final = 'paid'
        else if (answer?.status === 422 && answer.body.code === 'insufficient_funds')
          attempt.final = 'refused'
        else await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    const paid = attempts.filter((a) => a.final === 'paid')
    seen.paid = paid.length
    seen.refused = attempts.filter((a) => a.final === 'refused').length
    console.log(`chaos: ${attempts.length} payments, ${seen.reads} reads`, seen)

    assert.deepEqual(unclean, [], 'clients saw only answers, clean 503s or broken connections')
    assert.isTrue(
      attempts.every((a) => a.final),
      'every payment settled with its own key'
    )
    assert.isAbove(paid.length, 100)

    // Exactly once: one ledger transfer per acknowledged key, none for refused ones.
    const recorded = await recordedPayments(people.map((p) => p.id))
    assert.isTrue(
      [...recorded.byLedgerKey.values()].every((n) => n === 1),
      'no key moved money twice'
    )
    assert.sameMembers(
      [...recorded.byLedgerKey.keys()],
      paid.map((a) => ledgerKey(people[a.from]!.id, a))
    )
    // People's history lists each payment once, even those whose replica died mid-way.
    assert.equal(recorded.historyRows, paid.length)

    // Every balance is what the acknowledged payments say.
    const expected = expectedBalances(people.length, funds, paid)
    const balances = await Promise.all(
      people.map(async (p) => (await send(url, 'GET', '/api/v1/wallet', p.token))!.body.balance)
    )
    assert.deepEqual(balances, expected)

    const invariants = await send(
      cluster.balancer.ledgerUrl,
      'GET',
      '/v1/invariants',
      ledger_test_token
    )
    assert.isTrue(invariants?.body.ok, JSON.stringify(invariants?.body.violations))
  }).timeout(240_000 + 2 * load_ms)
})
