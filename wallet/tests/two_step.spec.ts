import { test } from '@japa/runner'
import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { Secret, TOTP } from 'otpauth'
import {
  appUrl,
  databaseUrl,
  launchBrowser,
  look,
  newPage,
  password,
  person,
  signIn,
} from './support.ts'

/**
 * Two-step sign-in and step-up as a person meets them: an authenticator app
 * (codes made from the key the page shows), and passkeys made and used by
 * Chromium's virtual authenticator, on http://localhost (a passkey needs a
 * domain), against the real API.
 */
let browser: Browser

/** The code the app shows `stepsAhead` 30-second steps from now (each step's code works once). */
function code(secret: string, stepsAhead = 0) {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    timestamp: Date.now() + stepsAhead * 30_000,
  })
}

/** Time moves on: every step-up of this person is older than five minutes. */
async function ageStepUps(userId: string) {
  const client = new pg.Client({ connectionString: databaseUrl() })
  await client.connect()
  await client.query(
    `UPDATE session_step_ups SET verified_at = now() - interval '10 minutes' WHERE user_id = $1`,
    [userId]
  )
  await client.end()
}

async function sendLarge(page: Page, to: string) {
  await page.getByRole('link', { name: 'Send money' }).click()
  await page.getByLabel('To (email)').fill(to)
  await page.getByLabel('Amount').fill('1500.00')
  await page.getByRole('button', { name: 'Review' }).click()
  await page.getByRole('button', { name: 'Send $1,500.00' }).click()
}

async function signOut(page: Page) {
  await page.goto(page.url().replace(/\/app\/.*$/, '/app/account'))
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  // A fresh sign-in page: signing in then leads Home, not back to Account.
  await page.goto(page.url().replace(/\/app\/.*$/, '/app/sign-in'))
}

test.group('Wallet: two-step sign-in', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('an authenticator app: set up, asked at sign-in, and asked again for a large payment', async ({
    assert,
  }) => {
    const ada = await person({ name: 'Ada Twostep', funds: 300_000 })
    const bo = await person({ name: 'Bo Payee' })
    const { page, context } = await newPage(browser)
    await signIn(page, ada.email)
    await page.goto(appUrl('/account'))
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
    const secret = (await page.getByTestId('totp-secret').textContent())!
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
    await page.getByLabel('Code from the app').fill(code(secret))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByTestId('recovery-codes').waitFor()
    const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map(
      (text) => text.trim()
    )
    assert.lengthOf(codes, 10)
    assert.deepEqual(await look(page, 'two-step-on'), [])
    await page.getByRole('button', { name: 'I saved them' }).click()
    await page.getByText('Authenticator app (on)').waitFor()

    await signOut(page)
    await page.getByLabel('Email').fill(ada.email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: "Confirm it's you" }).waitFor()
    assert.deepEqual(await look(page, 'sign-in-second-step'), [])
    await page.getByLabel('Code from your authenticator app').fill('000000')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByText("That code isn't right").waitFor()
    await page.getByRole('button', { name: 'Lost your device? Use a recovery code' }).click()
    await page.getByLabel('Recovery code').fill(codes[0]!)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: /^Hi, Ada/ }).waitFor()

    // Five minutes on, a large payment asks for a fresh code, then goes through once.
    await ageStepUps(ada.id)
    await sendLarge(page, bo.email)
    const dialog = page.getByRole('dialog', { name: "Confirm it's you" })
    await dialog.getByText(/needs your second factor/).waitFor()
    await dialog.getByLabel('Code from your authenticator app').fill(code(secret, 1))
    await dialog.getByRole('button', { name: 'Confirm' }).click()
    await page.getByRole('heading', { name: 'Sent $1,500.00 to Bo Payee' }).waitFor()
    const wallets = await bo.client.wallets.list()
    assert.equal(wallets.find((w) => w.currency === 'USD')?.balance, 150_000)
    await context.close()
  })

  test('passkeys: added in Account, a sign-in without a password, a second step and a step-up', async ({
    assert,
  }) => {
    const cy = await person({ name: 'Cy Passkey', funds: 300_000 })
    const bo = await person({ name: 'Bo Payee' })
    const { page, context } = await newPage(browser)
    const cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    })
    const local = (path: string) => appUrl(path).replace('127.0.0.1', 'localhost')

    await page.goto(local('/sign-in'))
    await page.getByLabel('Email').fill(cy.email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: /^Hi, / }).waitFor()
    await page.goto(local('/account'))
    await page.getByLabel('Passkey name').fill('Test laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByTestId('recovery-codes').waitFor()
    await page.getByRole('button', { name: 'I saved them' }).click()
    await page.getByText('Test laptop').waitFor()
    assert.equal(await page.getByLabel('Passkey name').inputValue(), '')
    assert.deepEqual(await look(page, 'passkeys'), [])

    // No email, no password.
    await signOut(page)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByRole('heading', { name: /^Hi, Cy/ }).waitFor()

    await ageStepUps(cy.id)
    await sendLarge(page, bo.email)
    await page
      .getByRole('dialog', { name: "Confirm it's you" })
      .getByRole('button', { name: 'Use your passkey' })
      .click()
    await page.getByRole('heading', { name: 'Sent $1,500.00 to Bo Payee' }).waitFor()

    // With a password, the passkey is the second step.
    await signOut(page)
    await page.getByLabel('Email').fill(cy.email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('button', { name: 'Use your passkey' }).click()
    await page.getByRole('heading', { name: /^Hi, Cy/ }).waitFor()
    const status = await cy.client.mfa.status()
    assert.equal(status.passkeys.length, 1)
    assert.isNotNull(status.passkeys[0]!.last_used_at)
    await context.close()
  })
})
