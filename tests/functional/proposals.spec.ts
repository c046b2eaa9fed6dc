import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import paymentsConfig from '#config/payments'
import { clock } from '#platform/clock'
import { balanceOf, fundedUser, signUp, staff, ledgerHolds } from '#tests/support/people'

type Person = Awaited<ReturnType<typeof signUp>>

async function usdWallet(client: ApiClient, person: Person) {
  const wallets = await client.get('/api/v1/wallets').bearerToken(person.access_token)
  return wallets.body().data.find((w: { currency: string }) => w.currency === 'USD').id as string
}

function adjust(
  client: ApiClient,
  admin: Person,
  wallet: string,
  amount: number,
  key = randomUUID()
) {
  return client
    .post(`/api/v1/admin/wallets/${wallet}/adjustments`)
    .bearerToken(admin.access_token)
    .header('idempotency-key', key)
    .json({ amount, reason: 'Goodwill credit after outage' })
}

function decide(client: ApiClient, admin: Person, id: string, decision: 'approve' | 'reject') {
  return client
    .post(`/api/v1/admin/proposals/${id}/${decision}`)
    .bearerToken(admin.access_token)
    .json({ reason: 'Checked the ticket and the ledger' })
}

test.group('Two-person approval of staff money', (group) => {
  group.each.setup(() => () => {
    clock.now = () => Date.now()
  })

  test('an adjustment above the threshold waits for a second admin, then moves once', async ({
    client,
    assert,
  }) => {
    const [first, second] = [await staff(client, 'admin'), await staff(client, 'admin')]
    const person = await fundedUser(client, 100)
    const wallet = await usdWallet(client, person)
    const key = randomUUID()
    const proposed = await adjust(client, first, wallet, 250_000, key)
    proposed.assertStatus(202)
    const proposal = proposed.body().proposal
    assert.deepInclude(proposal, { kind: 'adjustment', status: 'pending', amount: 250_000 })
    assert.equal(proposal.proposed_by.id, first.user.id)
    assert.equal(await balanceOf(client, person.access_token), 100)
    // The same request again proposes nothing new.
    const again = await adjust(client, first, wallet, 250_000, key)
    assert.equal(again.body().proposal.id, proposal.id)

    const own = await decide(client, first, proposal.id, 'approve')
    own.assertStatus(403)
    assert.equal(own.body().code, 'self_approval')
    const support = await staff(client, 'support')
    ;(await decide(client, support, proposal.id, 'approve')).assertStatus(403)

    const approved = await decide(client, second, proposal.id, 'approve')
    approved.assertStatus(200)
    assert.equal(approved.body().status, 'approved')
    assert.equal(approved.body().decided_by.id, second.user.id)
    assert.isString(approved.body().transfer_id)
    assert.equal(await balanceOf(client, person.access_token), 250_100)
    const twice = await decide(client, second, proposal.id, 'approve')
    twice.assertStatus(409)
    assert.equal(twice.body().code, 'proposal_not_pending')
    assert.equal(await balanceOf(client, person.access_token), 250_100)

    const log = await client
      .get('/api/v1/admin/audit-log')
      .qs({ target_id: wallet })
      .bearerToken(second.access_token)
    const actions = log.body().data.map((row: { action: string }) => row.action)
    assert.includeMembers(actions, ['proposal.adjustment', 'proposal.approve'])
  })

  test('two admins approving at once move the money once', async ({ client, assert }) => {
    const proposer = await staff(client, 'admin')
    const approvers = [await staff(client, 'admin'), await staff(client, 'admin')]
    const person = await fundedUser(client, 0)
    const wallet = await usdWallet(client, person)
    const id = (await adjust(client, proposer, wallet, 150_000)).body().proposal.id
    const answers = await Promise.all(
      [...approvers, ...approvers].map((admin) => decide(client, admin, id, 'approve'))
    )
    assert.equal(answers.filter((a) => a.status() === 200).length, 1)
    for (const other of answers.filter((a) => a.status() !== 200))
      assert.equal(other.body().code, 'proposal_not_pending')
    assert.equal(await balanceOf(client, person.access_token), 150_000)
    assert.isTrue(await ledgerHolds(client))
  })

  test('a reversal above the threshold waits; rejected, nothing moves; below it, one admin', async ({
    client,
    assert,
    cleanup,
  }) => {
    // Below the step-up threshold of payments, so the payments need no second factor.
    const thresholds = paymentsConfig.staffApprovalThresholds
    paymentsConfig.staffApprovalThresholds = { of: () => 50_000 }
    cleanup(() => {
      paymentsConfig.staffApprovalThresholds = thresholds
    })
    const [first, second] = [await staff(client, 'admin'), await staff(client, 'admin')]
    const alice = await fundedUser(client, 300_000)
    const bob = await signUp(client)
    const big = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('idempotency-key', randomUUID())
      .json({ receiver_email: bob.email, amount: 60_000 })
    const proposed = await client
      .post(`/api/v1/admin/transfers/${big.body().id}/reversal`)
      .bearerToken(first.access_token)
      .json({ reason: 'Customer reports a scam' })
    proposed.assertStatus(202)
    const rejected = await decide(client, second, proposed.body().proposal.id, 'reject')
    rejected.assertStatus(200)
    assert.equal(rejected.body().status, 'rejected')
    assert.equal(await balanceOf(client, bob.access_token), 60_000)
    ;(await decide(client, second, proposed.body().proposal.id, 'approve')).assertStatus(409)

    const small = await client
      .post('/api/v1/transfers')
      .bearerToken(alice.access_token)
      .header('idempotency-key', randomUUID())
      .json({ receiver_email: bob.email, amount: 40_000 })
    const reversed = await client
      .post(`/api/v1/admin/transfers/${small.body().id}/reversal`)
      .bearerToken(first.access_token)
      .json({ reason: 'Customer reports a scam' })
    reversed.assertStatus(201)
    assert.equal(await balanceOf(client, bob.access_token), 60_000)

    const pending = await client
      .get('/api/v1/admin/proposals')
      .qs({ status: 'rejected' })
      .bearerToken(second.access_token)
    assert.include(
      pending.body().data.map((p: { id: string }) => p.id),
      proposed.body().proposal.id
    )
  })

  test('a proposal expires; a refused approval leaves it pending', async ({ client, assert }) => {
    const [first, second] = [await staff(client, 'admin'), await staff(client, 'admin')]
    const person = await fundedUser(client, 500)
    const wallet = await usdWallet(client, person)
    // A debit the wallet cannot cover: refused, still pending.
    const debit = (await adjust(client, first, wallet, -200_000)).body().proposal.id
    const refused = await decide(client, second, debit, 'approve')
    refused.assertStatus(422)
    assert.equal(refused.body().code, 'insufficient_funds')
    const still = await client
      .get(`/api/v1/admin/proposals/${debit}`)
      .bearerToken(second.access_token)
    assert.equal(still.body().status, 'pending')

    const start = Date.now()
    clock.now = () => start + 25 * 3_600_000
    const late = await decide(client, second, debit, 'approve')
    late.assertStatus(409)
    assert.match(late.body().detail, /expired/)
    ;(
      await client.get(`/api/v1/admin/proposals/not-a-uuid`).bearerToken(first.access_token)
    ).assertStatus(404)
    assert.equal(await balanceOf(client, person.access_token), 500)
  })
})
