import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { appUrl, launchBrowser, look, newPage, password, person, signIn } from './support.ts'

/**
 * The screens after a payment: history over the cursor pages, one payment
 * by its link, a wallet's statement and its CSV, the account; and what
 * people type that is wrong, or hostile, shown as it should be.
 */
let browser: Browser

test.group('Wallet: screens', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('history loads page after page, filters by direction and links to each payment', async ({
    assert,
  }) => {
    const alice = await person({ name: 'Alice History', funds: 100_000 })
    const bob = await person({ name: 'Bob History' })
    for (let i = 1; i <= 30; i++) {
      await alice.client.transfers.create({
        receiver_email: bob.email,
        amount: i,
        description: `Payment ${i}`,
      })
    }
    await bob.client.deposits.create({ amount: 500 })
    const back = await bob.client.transfers.create({
      receiver_email: alice.email,
      amount: 99,
      description: 'Thanks',
    })

    const { page, context } = await newPage(browser)
    const found: string[] = []
    await signIn(page, bob.email)
    await page.getByRole('link', { name: 'History', exact: true }).click()
    const rows = page.getByRole('list', { name: 'Payments', exact: true }).getByRole('listitem')
    await rows.first().waitFor()
    found.push(...(await look(page, '09-history')))
    // 32 payments over pages of 25: the second page comes as the list's end shows.
    await page.getByRole('listitem').last().scrollIntoViewIfNeeded()
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Payments"] li').length === 32
    )
    assert.equal(await page.getByRole('button', { name: 'Show more' }).count(), 0)

    await page.getByRole('tab', { name: 'Sent' }).click()
    await page.waitForURL(/direction=sent/)
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Payments"] li').length === 1
    )
    await page.getByText('Thanks').waitFor()
    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('direction'))
    await page.getByRole('tab', { name: 'All', selected: true }).waitFor()

    await page.getByRole('tab', { name: 'Sent' }).click()
    await page.getByText('Thanks').click()
    await page.waitForURL(`**/app/transfers/${back.id}`)
    await page.getByTestId('transfer-amount').getByText('−$0.99').waitFor()
    found.push(...(await look(page, '10-transfer')))

    // A stranger's payment, and no payment at all, read the same: not found.
    const carol = await person({ funds: 100 })
    const dave = await person()
    const theirs = await carol.client.transfers.create({ receiver_email: dave.email, amount: 1 })
    for (const id of [theirs.id, 'not-a-payment-id']) {
      await page.goto(appUrl(`/transfers/${id}`))
      await page.getByRole('heading', { name: 'Payment not found' }).waitFor()
    }
    assert.equal(await page.getByText(carol.full_name).count(), 0)
    found.push(...(await look(page, '11-transfer-not-found')))
    await page.goto(appUrl('/no/such/screen'))
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
    await context.close()
    assert.deepEqual(found, [])
  })

  test('a wallet shows its statement for chosen days and downloads the API’s CSV', async ({
    assert,
  }) => {
    const alice = await person({ name: 'Alice Statement', funds: 10_000 })
    const bob = await person()
    await alice.client.transfers.create({
      receiver_email: bob.email,
      amount: 1_234,
      description: 'Rent share',
    })
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    await page.getByTestId('wallet-USD').click()
    await page.getByRole('heading', { name: 'US Dollar wallet' }).waitFor()
    await page.getByTestId('closing-balance').getByText('$87.66').waitFor()
    await page.getByRole('table', { name: 'Statement' }).getByText('Rent share').waitFor()
    const found = await look(page, '12-wallet-statement')

    // Today alone, in the reader's days: from its local midnight to the next.
    const today = dayOf(new Date())
    await page.getByLabel('From').fill(today)
    await page.getByLabel('To').fill(today)
    await page.getByRole('table', { name: 'Statement' }).getByText('Rent share').waitFor()
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download CSV' }).click()
    const file = await download
    assert.equal(file.suggestedFilename(), `purse-USD-${today}-to-${today}.csv`)
    const csv = await readFile((await file.path())!, 'utf8')
    // The browser and this process share the machine's time zone.
    const midnight = new Date(`${today}T00:00:00`)
    const expected = await alice.client.wallets.statementCsv('USD', {
      from: midnight.toISOString(),
      to: new Date(
        midnight.getFullYear(),
        midnight.getMonth(),
        midnight.getDate() + 1
      ).toISOString(),
    })
    assert.equal(csv, expected)
    assert.include(csv, 'Rent share')

    // Days with nothing in them: an empty statement, and the same closing balance.
    await page.getByLabel('From').fill('2020-01-01')
    await page.getByLabel('To').fill('2020-01-31')
    await page.getByText('Nothing moved in these days.').waitFor()
    await page.getByTestId('closing-balance').getByText('$0.00').waitFor()
    await context.close()
    assert.deepEqual(found, [])
  })

  test('user text is only ever text, under the page’s strict policy', async ({ assert }) => {
    const alice = await person({ name: '<b>Alice</b>', funds: 1_000 })
    const bob = await person()
    const hostile = '<img src=x onerror=alert(1)>'
    const sent = await alice.client.transfers.create({
      receiver_email: bob.email,
      amount: 100,
      description: hostile,
    })
    const { page, context } = await newPage(browser)
    let dialogs = 0
    page.on('dialog', (dialog) => {
      dialogs++
      void dialog.dismiss()
    })
    await signIn(page, bob.email)
    const answer = await page.goto(appUrl(`/transfers/${sent.id}`))
    const policy = answer!.headers()['content-security-policy']!
    assert.include(policy, "script-src 'self'")
    assert.include(policy, "connect-src 'self'")
    assert.include(policy, "frame-ancestors 'none'")
    assert.notInclude(policy, 'unsafe-eval')
    assert.equal(answer!.headers()['referrer-policy'], 'no-referrer')
    assert.equal(answer!.headers()['cache-control'], 'no-cache')
    assert.equal(await page.getByTestId('transfer-description').textContent(), hostile)
    await page.getByRole('heading', { name: '<b>Alice</b>', exact: true }).waitFor()
    await page.goto(appUrl('/history'))
    await page.getByText(hostile, { exact: false }).first().waitFor()
    assert.equal(await page.locator('img[src="x"], b').count(), 0)
    assert.equal(dialogs, 0)

    // Hashed assets are cached for good; the app's index never is.
    const script = await page.locator('script[src*="/app/assets/"]').first().getAttribute('src')
    const asset = await context.request.get(new URL(script!, page.url()).href)
    assert.equal(asset.headers()['cache-control'], 'public, max-age=31536000, immutable')
    await context.close()
  })

  test('sign-up and sign-in say what is wrong per field, and when to try again', async ({
    assert,
  }) => {
    const taken = await person()
    const { page, context } = await newPage(browser)
    await page.goto(appUrl('/sign-up'))
    await page.getByLabel('Full name').fill('Someone')
    await page.getByLabel('Email').fill(taken.email)
    await page.getByLabel('Password').fill('short')
    await page.getByRole('button', { name: 'Create account' }).click()
    // The API's problem+json errors, under their fields.
    await page.getByText('The password field must have at least 8 characters').waitFor()
    assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true')
    await page.getByLabel('Password').fill('long enough password')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('There is already an account with this email').waitFor()
    const found = await look(page, '13-sign-up-errors')

    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Email').fill(taken.email)
      await page.getByLabel('Password').fill(`wrong ${i}`)
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.getByText("That email and password don't match an account.").waitFor()
    }
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText(/Too many tries\. Try again in \d+ minutes\./).waitFor()
    // Even the right password waits now.
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText(/Too many tries/).waitFor()
    found.push(...(await look(page, '14-sign-in-throttled')))
    await context.close()
    assert.deepEqual(found, [])
  })
})

function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
