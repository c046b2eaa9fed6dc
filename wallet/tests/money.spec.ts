import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { appUrl, launchBrowser, look, newPage, person, signIn } from './support.ts'

/**
 * Money through the wallet as people move it: sign up, add money, pay a
 * friend who sees it arrive, and never twice, whatever the clicks or the
 * network do. Every effect is checked through the API too.
 */
let browser: Browser

/** Write a payment and open its review step. */
async function review(page: Page, to: string, amount: string, description = '') {
  await page.getByRole('link', { name: 'Send money' }).click()
  await page.getByLabel('To (email)').fill(to)
  await page.getByLabel('Amount').fill(amount)
  if (description) await page.getByLabel("What's it for?").fill(description)
  await page.getByRole('button', { name: 'Review' }).click()
  await page.getByRole('heading', { name: 'Check and send' }).waitFor()
}

test.group('Wallet: money', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('a new person signs up, adds money and pays a friend, who sees it arrive live', async ({
    assert,
  }) => {
    const bob = await person({ name: 'Bob Receiver' })
    const receiver = await newPage(browser)
    await signIn(receiver.page, bob.email)
    await receiver.page
      .getByTestId('wallet-USD')
      .getByTestId('balance')
      .getByText('$0.00')
      .waitFor()

    const { page } = await newPage(browser)
    const found: string[] = []
    await page.goto(appUrl('/'))
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    found.push(...(await look(page, '01-sign-in')))
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Full name').fill('Alice Newcomer')
    await page.getByLabel('Email').fill(`alice-${Date.now()}@wallet.test`)
    await page.getByLabel('Password').fill('a good long password')
    found.push(...(await look(page, '02-sign-up')))
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Hi, Alice' }).waitFor()
    found.push(...(await look(page, '03-home-new')))

    await page.getByRole('link', { name: 'Add money' }).click()
    await page.getByLabel('Amount').fill('50.00')
    await page.getByRole('button', { name: 'Add money' }).click()
    await page.getByText('Added $50.00').waitFor()
    found.push(...(await look(page, '04-add-money')))
    await page.getByRole('link', { name: 'See your balance' }).click()
    await page.getByTestId('wallet-USD').getByTestId('balance').getByText('$50.00').waitFor()

    await review(page, bob.email, '12.50', 'Dinner 🍝')
    await page.getByText(`Send $12.50 to ${bob.email}`).waitFor()
    found.push(...(await look(page, '05-send-review')))
    await page.getByRole('button', { name: 'Send $12.50' }).click()
    await page.getByRole('heading', { name: 'Sent $12.50 to Bob Receiver' }).waitFor()
    assert.include(await page.getByTestId('new-balance').textContent(), '$37.50')
    found.push(...(await look(page, '06-sent')))

    // Bob's open wallet learns it from the event stream, with no reload.
    await receiver.page.getByText('Alice Newcomer sent you $12.50').waitFor()
    await receiver.page
      .getByTestId('wallet-USD')
      .getByTestId('balance')
      .getByText('$12.50')
      .waitFor()
    found.push(...(await look(receiver.page, '07-home-money-arrived')))
    const [usd] = await bob.client.wallets.list()
    assert.equal(usd!.balance, 1250)
    const received = await bob.client.transfers.list().page()
    assert.lengthOf(received.data, 1)
    assert.equal(received.data[0]!.description, 'Dinner 🍝')
    await receiver.context.close()
    assert.deepEqual(found, [])
  })

  test('the send form explains what is wrong before anything is sent', async ({ assert }) => {
    const alice = await person({ funds: 1_000 })
    const bob = await person()
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    await page.getByRole('link', { name: 'Send money' }).click()
    await page.getByLabel('To (email)').fill(alice.email)
    await page.getByLabel('Amount').fill('1.005')
    await page.getByLabel("What's it for?").fill('x'.repeat(281))
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByText('Enter an amount like 12.50, in USD.').waitFor()
    await page.getByText('Keep it to 280 characters.').waitFor()
    await page.getByText('That is your own email').waitFor()
    assert.deepEqual(await look(page, '08-send-form-errors'), [])

    // A refusal from the server, said in words, with what is available.
    await page.getByLabel('To (email)').fill(bob.email)
    await page.getByLabel('Amount').fill('25')
    await page.getByLabel("What's it for?").fill('')
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByRole('button', { name: 'Send $25.00' }).click()
    const refusal = await page.getByRole('alert').textContent()
    assert.match(refusal!, /insufficient|available/i)
    // A final refusal frees the payment: after a top-up, trying again pays (a new key).
    await alice.client.deposits.create({ amount: 2_000 })
    await page.getByRole('button', { name: /send \$25\.00/i }).click()
    await page.getByRole('heading', { name: /^Sent \$25\.00/ }).waitFor()
    const [usd] = await bob.client.wallets.list()
    assert.equal(usd!.balance, 2500)

    await page.getByRole('button', { name: 'Send another' }).click()
    await page.getByLabel('To (email)').fill(`nobody-${Date.now()}@wallet.test`)
    await page.getByLabel('Amount').fill('1')
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByRole('button', { name: 'Send $1.00' }).click()
    // Nothing is sent to an unknown address unless the person says so.
    await page.getByText('No one on Purse has this address yet').waitFor()
    await page.getByRole('button', { name: 'Send it anyway' }).waitFor()
    await context.close()
  })

  test('a double-click on Send pays once', async ({ assert }) => {
    const alice = await person({ funds: 10_000 })
    const bob = await person()
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    await review(page, bob.email, '5')
    await page.getByRole('button', { name: 'Send $5.00' }).dblclick()
    await page.getByRole('heading', { name: /^Sent \$5\.00/ }).waitFor()
    const received = await bob.client.transfers.list().page()
    assert.lengthOf(received.data, 1)
    assert.equal((await alice.client.wallets.list())[0]!.balance, 9_500)
    await context.close()
  })

  test('an answer lost on the way back is retried with the same key, and pays once', async ({
    assert,
  }) => {
    const alice = await person({ funds: 10_000 })
    const bob = await person()
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    await review(page, bob.email, '7.25')
    const keys: string[] = []
    let answered = 0
    await page.route('**/api/v1/transfers', async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      keys.push(route.request().headers()['idempotency-key']!)
      if (keys.length > 1) return route.continue()
      // The server made the payment and answered; the network loses the answer.
      answered = (await route.fetch()).status()
      await route.abort('connectionreset')
    })
    await page.getByRole('button', { name: 'Send $7.25' }).click()
    await page.getByRole('heading', { name: /^Sent \$7\.25/ }).waitFor()
    assert.equal(answered, 201)
    assert.lengthOf(keys, 2)
    assert.equal(keys[0], keys[1])
    assert.lengthOf((await bob.client.transfers.list().page()).data, 1)
    assert.equal((await alice.client.wallets.list())[0]!.balance, 10_000 - 725)
    await context.close()
  })
})
