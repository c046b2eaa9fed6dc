import { test } from '@japa/runner'
import { PurseApiError, memoryTokenStore } from '@purse/sdk'
import { createAuthProvider } from '../src/authProvider.ts'
import { createConsoleClient } from '../src/purse.ts'
import { apiUrl, password, person, providers } from './support.ts'

const page = (n: number, perPage: number) => ({ page: n, perPage })
const unsorted = { field: 'id', order: 'DESC' as const }

test.group('authProvider', () => {
  test('support and admin sign in and get their role; a plain user is turned away', async ({
    assert,
  }) => {
    const support = await person('support')
    const { auth } = await providers(support.email)
    assert.equal(await auth.getPermissions!({}), 'support')
    assert.include((await auth.getIdentity!()).fullName, '(support)')
    await auth.checkAuth({})

    const user = await person('user')
    const purse = createConsoleClient({ baseUrl: apiUrl(), tokenStore: memoryTokenStore() })
    const plain = createAuthProvider(purse)
    await assert.rejects(() => plain.login({ email: user.email, password }), /no staff role/)
    // Nothing of the refused session is kept.
    assert.isNull(await purse.tokens.get())
    await assert.rejects(() => plain.checkAuth({}))
  })

  test('a wrong password is said plainly; signing out ends the session on the server', async ({
    assert,
  }) => {
    const admin = await person('admin')
    const purse = createConsoleClient({ baseUrl: apiUrl(), tokenStore: memoryTokenStore() })
    const auth = createAuthProvider(purse)
    await assert.rejects(
      () => auth.login({ email: admin.email, password: 'wrong password!' }),
      /email or password is wrong/
    )
    await auth.login({ email: admin.email, password })
    const tokens = await purse.tokens.get()
    await auth.logout({})
    assert.isNull(await purse.tokens.get())
    await assert.rejects(() => auth.checkAuth({}))
    // The refresh token was revoked: it cannot be used again.
    const refresh = await fetch(`${apiUrl()}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: tokens!.refresh_token }),
    })
    assert.equal(refresh.status, 401)
  })

  test('a 401 signs the person out; a 403 is shown where it happened', async ({ assert }) => {
    const { auth } = await providers((await person('support')).email)
    const problem = (status: number) =>
      new PurseApiError({
        type: 'about:blank',
        title: 'x',
        status,
        code: status === 401 ? 'unauthorized' : 'forbidden',
        detail: 'x',
        request_id: 'r',
      })
    await assert.rejects(() => auth.checkError(problem(401)))
    await auth.checkError(problem(403))
    await auth.checkError(new Error('network'))
  })
})

test.group('dataProvider', () => {
  test('users: search, and cursor pages that react-admin can walk both ways', async ({
    assert,
  }) => {
    const marker = `Pager ${Date.now()}`
    for (let i = 0; i < 5; i++) await person('user', { name: `${marker} ${i}` })
    const { data } = await providers((await person('support')).email)
    const list = (n: number) =>
      data.getList('users', { pagination: page(n, 2), sort: unsorted, filter: { q: marker } })

    const first = await list(1)
    assert.deepEqual(
      first.data.map((u) => u.full_name),
      [`${marker} 4`, `${marker} 3`]
    )
    assert.deepEqual(first.pageInfo, { hasNextPage: true, hasPreviousPage: false })
    assert.isUndefined(first.total)
    const third = await list(3)
    assert.deepEqual(
      third.data.map((u) => u.full_name),
      [`${marker} 0`]
    )
    assert.equal(third.total, 5)
    assert.deepEqual(
      (await list(2)).data.map((u) => u.full_name),
      [`${marker} 2`, `${marker} 1`]
    )
    // A fresh provider asked for page 3 at once walks the pages before it.
    const fresh = (await providers((await person('support')).email)).data
    const jumped = await fresh.getList('users', {
      pagination: page(3, 2),
      sort: unsorted,
      filter: { q: marker },
    })
    assert.deepEqual(
      jumped.data.map((u) => u.full_name),
      [`${marker} 0`]
    )
    const one = await data.getOne('users', { id: first.data[0]!.id })
    assert.equal(one.data.wallets[0].currency, 'USD')
    await assert.rejects(() =>
      data.update('users', { id: one.data.id, data: {}, previousData: {} })
    )
  })

  test('transfers: filters by user, status, currency, amount and day; detail has entries', async ({
    assert,
  }) => {
    const alice = await person('user', { funds: 10_000 })
    const bob = await person('user')
    const small = await alice.client.transfers.create({ receiver_id: bob.id, amount: 250 })
    const big = await alice.client.transfers.create({ receiver_id: bob.id, amount: 4_000 })
    const admin = await providers((await person('admin')).email)
    await admin.data.reverseTransfer(big.id, 'Customer asked to cancel')
    const list = (filter: Record<string, unknown>) =>
      admin.data
        .getList('transfers', { pagination: page(1, 25), sort: unsorted, filter })
        .then((r) => r.data.map((t) => t.id))

    const today = new Date().toLocaleDateString('en-CA')
    assert.includeMembers(await list({ user_id: bob.id, from: today, to: today }), [
      small.id,
      big.id,
    ])
    assert.deepEqual(await list({ user_id: bob.id, kind: 'p2p', status: 'reversed' }), [big.id])
    assert.deepEqual(await list({ user_id: bob.id, kind: 'p2p', status: 'completed' }), [small.id])
    assert.deepEqual(await list({ user_id: bob.id, kind: 'p2p', min: '10.00' }), [big.id])
    assert.deepEqual(await list({ user_id: bob.id, kind: 'p2p', max: '2.50' }), [small.id])
    assert.deepEqual(await list({ user_id: bob.id, currency: 'EUR' }), [])
    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA')
    assert.deepEqual(await list({ user_id: bob.id, to: yesterday }), [])
    await assert.rejects(() => list({ min: '1.005' }), /decimal places/)

    const detail = (await admin.data.getOne('transfers', { id: big.id })).data
    assert.equal(detail.status, 'reversed')
    assert.deepEqual(
      detail.entries.map((e: any) => [e.direction, e.owner.name, e.balance_after]),
      [
        ['debit', alice.full_name, 10_000 - 250 - 4_000],
        ['credit', bob.full_name, 4_250],
      ]
    )
    const bobs = await admin.data.getManyReference('transfers', {
      target: 'user_id',
      id: bob.id,
      pagination: page(1, 10),
      sort: unsorted,
      filter: {},
    })
    assert.lengthOf(bobs.data, 3)
  })

  test('actions: freeze, adjust, statement, overview; each audited', async ({ assert }) => {
    const carol = await person('user', { funds: 1_000 })
    const admin = await person('admin')
    const { data } = await providers(admin.email)
    await data.freezeUser(carol.id, 'Suspicious sign-in')
    assert.equal((await data.getOne('users', { id: carol.id })).data.status, 'frozen')
    await data.unfreezeUser(carol.id, 'Verified by phone')
    const wallet = (await data.getOne('users', { id: carol.id })).data.wallets[0]
    const key = crypto.randomUUID()
    const adjusted = await data.adjustWallet(wallet.id, 500, 'Goodwill credit', key)
    // The same key again (a double click) adjusts once.
    await data.adjustWallet(wallet.id, 500, 'Goodwill credit', key)
    assert.equal('wallet' in adjusted ? adjusted.wallet.balance : null, 1_500)
    assert.equal((await data.getOne('users', { id: carol.id })).data.wallets[0].balance, 1_500)

    const statement = await data.statement(wallet.id, {})
    assert.deepEqual(
      statement.data.map((l) => [l.kind, l.amount, l.balance_after]),
      [
        ['deposit', 1_000, 1_000],
        ['adjustment', 500, 1_500],
      ]
    )
    const csv = await data.statementCsv(wallet.id, {})
    assert.match(csv, /^posted_at,transfer_id,kind/)

    const audit = await data.getList('audit-log', {
      pagination: page(1, 10),
      sort: unsorted,
      filter: { actor_id: admin.id },
    })
    assert.deepEqual(
      audit.data.map((a) => a.action),
      ['wallet.adjust', 'user.unfreeze', 'user.freeze']
    )
    const overview = await data.overview(new Date(Date.now() - 60_000))
    assert.isTrue(overview.ledger?.ok)
    assert.isAbove(overview.transfers_today, 0)
  })

  test('a support person cannot move money, whatever the console shows', async ({ assert }) => {
    const alice = await person('user', { funds: 1_000 })
    const bob = await person('user')
    const sent = await alice.client.transfers.create({ receiver_id: bob.id, amount: 100 })
    const { data } = await providers((await person('support')).email)
    const refused = await data.reverseTransfer(sent.id, 'Trying anyway').catch((e) => e)
    assert.instanceOf(refused, PurseApiError)
    assert.equal(refused.status, 403)
    const wallet = (await data.getOne('users', { id: bob.id })).data.wallets[0]
    const adjust = await data.adjustWallet(wallet.id, 100, 'Trying anyway', 'k').catch((e) => e)
    assert.equal(adjust.status, 403)
    assert.equal((await data.getOne('transfers', { id: sent.id })).data.status, 'completed')
    assert.equal((await bob.client.wallets.usd()).balance, 100)
  })
})
