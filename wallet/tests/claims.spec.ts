import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { launchBrowser, look, newPage, person, signIn } from './support.ts'

/** Sending to an address with no account: asked first, then waiting, then taken back. */
let browser: Browser

test.group('Wallet: sending to someone not on Purse yet', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('a typo is not sent; sent anyway, it waits and can be taken back', async ({ assert }) => {
    const ada = await person({ name: 'Ada Sender', funds: 5_000 })
    const email = `${randomUUID().slice(0, 8)}@newcomer.test`
    const { page, context } = await newPage(browser)
    await signIn(page, ada.email)
    await page.getByRole('link', { name: 'Send money' }).click()
    await page.getByLabel('To (email)').fill(email)
    await page.getByLabel('Amount').fill('20.00')
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByRole('button', { name: 'Send $20.00' }).click()
    await page.getByText('No one on Purse has this address yet').waitFor()
    await page.getByRole('button', { name: 'Send it anyway' }).click()
    await page.getByRole('heading', { name: `$20.00 waits for ${email}` }).waitFor()
    assert.deepEqual(await look(page, 'claim-waiting'), [])
    const held = (await ada.client.wallets.list()).find((w) => w.currency === 'USD')!
    assert.equal(held.available_balance, 3_000)

    await page.getByRole('link', { name: 'See it in your history' }).click()
    await page.getByText(`$20.00 to ${email}: waiting to be claimed`).waitFor()
    await page.getByRole('button', { name: 'Cancel and take it back' }).click()
    await page.getByText(`$20.00 to ${email}: cancelled: back in your wallet`).waitFor()
    const back = (await ada.client.wallets.list()).find((w) => w.currency === 'USD')!
    assert.equal(back.available_balance, 5_000)
    await context.close()
  })
})
