import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { appUrl, launchBrowser, look, newPage, person, signIn } from './support.ts'

/** Asking for money through the wallet: one person asks, the other pays or declines. */
let browser: Browser

test.group('Wallet: payment requests', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('one person asks, the other sees it and pays it once', async ({ assert }) => {
    const ada = await person({ name: 'Ada Asker' })
    const bo = await person({ name: 'Bo Payer', funds: 5_000 })
    const asker = await newPage(browser)
    await signIn(asker.page, ada.email)
    await asker.page.getByRole('link', { name: 'Requests' }).first().click()
    await asker.page.getByRole('heading', { name: 'Requests', level: 1 }).waitFor()
    await asker.page.getByLabel('From (email)').fill(bo.email)
    await asker.page.getByLabel('Amount').fill('12.50')
    await asker.page.getByLabel("What's it for?").fill('Pizza')
    await asker.page.getByRole('button', { name: 'Ask', exact: true }).click()
    await asker.page.getByText('Asked Bo Payer for $12.50.').waitFor()
    // A blank form for the next request.
    assert.equal(await asker.page.getByLabel('From (email)').inputValue(), '')
    assert.equal(await asker.page.getByLabel("What's it for?").inputValue(), '')
    await asker.page.getByText('You asked Bo Payer for $12.50 for “Pizza”').waitFor()
    assert.deepEqual(await look(asker.page, 'requests'), [])

    const payer = await newPage(browser)
    await signIn(payer.page, bo.email)
    await payer.page.goto(appUrl('/requests'))
    await payer.page.getByText('Ada Asker asks you for $12.50 for “Pizza”').waitFor()
    await payer.page.getByRole('button', { name: 'Pay $12.50' }).click()
    await payer.page.getByText(/^paid ·/).waitFor()
    assert.equal(await payer.page.getByRole('button', { name: 'Pay $12.50' }).count(), 0)

    const wallets = await bo.client.wallets.list()
    assert.equal(wallets.find((w) => w.currency === 'USD')?.balance, 3_750)
    await asker.page.reload()
    await asker.page.getByText(/^paid ·/).waitFor()
    await asker.context.close()
    await payer.context.close()
  })
})
