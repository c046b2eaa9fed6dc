import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { test } from '@japa/runner'
import {
  expectedBalances,
  ledgerKey,
  recordedPayments,
  type Payment,
} from '#tests/support/payments'
import { call, startAppProcess } from '#tests/support/stack'

const workers = 16
const people_count = 10
const funds = 100_000
const exit_wait_ms = 20_000

interface Attempt extends Payment {
  paid?: boolean
}

/** `people_count` people signed up, each holding `funds`. */
async function fundedPeople(url: string, name: string) {
  const people: { id: string; token: string }[] = []
  for (let i = 0; i < people_count; i++) {
    const signup = await call(url, 'POST', '/api/v1/auth/register', {
      email: `${randomUUID()}@example.com`,
      password: 'correct horse battery',
      full_name: `${name} ${i}`,
    })
    const token = signup.body.access_token as string
    await call(url, 'POST', '/api/v1/deposits', { amount: funds }, token)
    people.push({ id: signup.body.user.id, token })
  }
  return people
}

test.group('Graceful shutdown of the API', () => {
  test('SIGTERM under load: in-flight payments finish, the process exits 0, nothing acknowledged is lost', async ({
    assert,
  }) => {
    // Embedded ledger-core: its writer's pending batches must be flushed before the pools close.
    let app = await startAppProcess({})
    const people = await fundedPeople(app.url, 'Shutdown')

    /** One payment with its key: the status, or null when no answer came back. */
    const pay = async (attempt: Attempt) => {
      try {
        const response = await fetch(`${app.url}/api/v1/transfers`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'authorization': `Bearer ${people[attempt.from]!.token}`,
            'idempotency-key': attempt.key,
          },
          body: JSON.stringify({ receiver_id: people[attempt.to]!.id, amount: attempt.amount }),
        })
        return { status: response.status, body: await response.text() }
      } catch {
        return null
      }
    }

    const attempts: Attempt[] = []
    const serverErrors: string[] = []
    let stopped = false
    const load = Array.from({ length: workers }, async () => {
      while (!stopped) {
        const from = Math.floor(Math.random() * people_count)
        const to = (from + 1 + Math.floor(Math.random() * (people_count - 1))) % people_count
        const attempt: Attempt = {
          key: randomUUID(),
          from,
          to,
          amount: 1 + Math.floor(Math.random() * 100),
        }
        attempts.push(attempt)
        const answer = await pay(attempt)
        if (answer?.status === 201) attempt.paid = true
        else if (answer && answer.status >= 500)
          serverErrors.push(`${answer.status} ${answer.body}`)
        // Refused or reset once the server closed: the outcome is settled below.
        else if (!answer) break
      }
    })

    await new Promise((resolve) => setTimeout(resolve, 1_500))
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', resolve))
    app.child.kill('SIGTERM')
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), exit_wait_ms)),
    ])
    stopped = true
    await Promise.all(load)
    assert.equal(code, 0, app.output())
    assert.deepEqual(serverErrors, [], 'no in-flight request failed because the process stopped')
    const acknowledged = attempts.filter((a) => a.paid).length
    assert.isAbove(acknowledged, 50)

    // A fresh process settles every unknown outcome the way a client must: same request, same key.
    app = await startAppProcess({})
    try {
      for (const attempt of attempts.filter((a) => !a.paid)) {
        const answer = await pay(attempt)
        assert.equal(answer?.status, 201, answer?.body)
        attempt.paid = true
      }

      const recorded = await recordedPayments(people.map((p) => p.id))
      assert.isTrue(
        [...recorded.byLedgerKey.values()].every((n) => n === 1),
        'no payment was made twice'
      )
      assert.sameMembers(
        [...recorded.byLedgerKey.keys()],
        attempts.map((a) => ledgerKey(people[a.from]!.id, a))
      )
      assert.equal(recorded.historyRows, attempts.length)
      const expected = expectedBalances(people.length, funds, attempts)
      const balances = await Promise.all(
        people.map(
          async (p) =>
            (await call(app.url, 'GET', '/api/v1/wallet', undefined, p.token)).body.balance
        )
      )
      assert.deepEqual(balances, expected)
      console.log(
        `shutdown: ${acknowledged} acknowledged before SIGTERM, ${attempts.length - acknowledged} settled after`
      )
    } finally {
      await app.stop()
    }
  }).timeout(120_000)

  test('SIGTERM just after clients hung up mid-payment: every payment made has its history row', async ({
    assert,
  }) => {
    const app = await startAppProcess({})
    const people = await fundedPeople(app.url, 'Hang up')
    const { port } = new URL(app.url)
    const requests = Array.from({ length: 300 }, (_, k) => {
      const body = JSON.stringify({ receiver_id: people[(k + 1) % people_count]!.id, amount: 1 })
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/transfers',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'authorization': `Bearer ${people[k % people_count]!.token}`,
          'idempotency-key': randomUUID(),
        },
      })
      request.on('error', () => {})
      request.end(body)
      return request
    })
    // Once ledger-core is making them, every client hangs up, and the server is told to stop.
    const senders = people.map((p) => p.id)
    for (let i = 0; i < 200 && (await recordedPayments(senders)).byLedgerKey.size < 10; i++)
      await new Promise((resolve) => setTimeout(resolve, 10))
    for (const request of requests) request.destroy()
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', resolve))
    app.child.kill('SIGTERM')
    assert.equal(await exited, 0, app.output())

    // Nobody will ask again about these payments: the server finished each one it began.
    const recorded = await recordedPayments(senders)
    assert.isAtLeast(recorded.byLedgerKey.size, 10)
    assert.equal(recorded.historyRows, recorded.byLedgerKey.size)
    assert.notMatch(app.output(), /"level":(50|60)/)
  }).timeout(60_000)
})
