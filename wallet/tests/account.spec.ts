import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import {
  appUrl,
  launchBrowser,
  look,
  mailedLink,
  newPage,
  password,
  person,
  signIn,
} from './support.ts'

/**
 * Account security as a person meets it: the mailed links open the
 * wallet's pages, and the Account screen shows devices and changes the
 * password. Mail goes through the real SMTP path to a catcher.
 */
let browser: Browser

test.group('Wallet: account security', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('the mailed link confirms the address; the warning goes', async ({ assert }) => {
    const ada = await person({ name: 'Ada Confirm' })
    const { page, context } = await newPage(browser)
    await signIn(page, ada.email)
    await page.getByText(/Confirm .* with the link we mailed you/).waitFor()

    const link = await mailedLink(ada.email, /Confirm your email address/)
    await page.goto(link)
    await page.getByText(`${ada.email} is confirmed`).waitFor()
    // The token left the address bar once read.
    assert.notInclude(page.url(), 'token=')
    assert.deepEqual(await look(page, 'verify-email'), [])
    await page.getByRole('link', { name: 'Go to Purse' }).click()
    await page.getByRole('heading', { name: /^Hi, / }).waitFor()
    assert.equal(await page.getByText(/with the link we mailed you/).count(), 0)

    // The same link again: it worked once.
    await page.goto(link)
    await page.getByText('This link no longer works').waitFor()
    await context.close()
  })

  test('forgot password: the link sets a new one, and the old one stops working', async ({
    assert,
  }) => {
    const bo = await person({ name: 'Bo Reset' })
    const { page, context } = await newPage(browser)
    await page.goto(appUrl('/sign-in'))
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    // The sign-in form has an Email field too: fill in the new screen's.
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor()
    await page.getByLabel('Email').fill(bo.email)
    await page.getByRole('button', { name: 'Send the link' }).click()
    await page.getByText('a link to choose a new password is on its way').waitFor()
    assert.deepEqual(await look(page, 'forgot-password'), [])

    await page.goto(await mailedLink(bo.email, /Reset your Purse password/))
    await page.getByLabel('New password').fill('password1')
    await page.getByRole('button', { name: 'Save the new password' }).click()
    await page.getByText('one of the most common passwords').waitFor()
    await page.getByLabel('New password').fill('a fresh long passphrase')
    await page.getByRole('button', { name: 'Save the new password' }).click()
    await page.getByText('Your password is changed').waitFor()
    assert.deepEqual(await look(page, 'reset-password'), [])

    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await page.getByLabel('Email').fill(bo.email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText("That email and password don't match an account.").waitFor()
    await page.getByLabel('Password').fill('a fresh long passphrase')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: /^Hi, / }).waitFor()
    await context.close()
  })

  test('Account lists devices, signs another out, and changes the password', async ({ assert }) => {
    const cy = await person({ name: 'Cy Devices' })
    const laptop = await newPage(browser)
    await signIn(laptop.page, cy.email)
    const phone = await newPage(browser)
    await signIn(phone.page, cy.email)

    await phone.page.getByRole('link', { name: 'Account' }).first().click()
    const devices = phone.page.getByRole('list', { name: 'Signed-in devices' })
    await devices.getByText('(this device)').waitFor()
    // The SDK's sign-up made one session too; the laptop's and this one make three.
    await phone.page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Signed-in devices"] li').length === 3
    )
    assert.deepEqual(await look(phone.page, 'account-security'), [])

    await phone.page.getByRole('button', { name: 'Sign out every other device' }).click()
    await phone.page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Signed-in devices"] li').length === 1
    )
    // The laptop finds out on its next call: back to sign-in.
    await laptop.page.reload()
    await laptop.page.getByRole('heading', { name: 'Sign in' }).waitFor()

    await phone.page.getByLabel('Current password').fill(password)
    await phone.page.getByLabel('New password').fill('another fresh passphrase')
    await phone.page.getByRole('button', { name: 'Change password' }).click()
    await phone.page.getByText('Password changed.').waitFor()
    await laptop.context.close()
    await phone.context.close()
  })
})
