import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { appUrl, launchBrowser, look, newPage, person, signIn } from './support.ts'

/** Giving a payment back, from the payment's own page. */
let browser: Browser

test.group('Wallet: refunds', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('the person paid refunds part, then the rest; the payer sees the money back', async ({
    assert,
  }) => {
    const ada = await person({ name: 'Ada Payer', funds: 5_000 })
    const bo = await person({ name: 'Bo Paid' })
    const payment = await ada.client.transfers.create({ receiver_email: bo.email, amount: 1_000 })
    const { page, context } = await newPage(browser)
    await signIn(page, bo.email)
    await page.goto(appUrl(`/transfers/${payment.id}`))
    await page.getByRole('heading', { name: 'Refund Ada Payer' }).waitFor()
    await page.getByLabel('Amount to refund').fill('4.00')
    await page.getByLabel('Reason (optional)').fill('Half of the taxi')
    await page.getByRole('button', { name: 'Refund', exact: true }).click()
    await page.getByText('Refunded $4.00 to Ada Payer.').waitFor()
    await page.getByText('$4.00 of this payment was refunded.').waitFor()
    assert.deepEqual(await look(page, 'refund'), [])

    // Empty: all that is left.
    await page.getByRole('button', { name: 'Refund', exact: true }).click()
    await page.getByText('$10.00 of this payment was refunded.').waitFor()
    assert.equal(await page.getByRole('heading', { name: 'Refund Ada Payer' }).count(), 0)
    const wallets = await ada.client.wallets.list()
    assert.equal(wallets.find((w) => w.currency === 'USD')?.balance, 5_000)
    await context.close()
  })
})
