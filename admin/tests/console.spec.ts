import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { apiUrl, launchBrowser, person, screenshot, signIn } from './support.ts'
import { Secret, TOTP } from 'otpauth'

/**
 * The built console in Debian's Chromium, served by the API under /admin,
 * doing what support and admins do; every effect is checked through the API
 * too. Screenshots of each screen land in admin/screenshots/.
 */
let browser: Browser

test.group('Console in a browser', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('support finds a user, freezes and unfreezes them, and opens a transfer', async ({
    assert,
  }) => {
    const alice = await person('user', { name: 'Alice Browser', funds: 10_000 })
    const bob = await person('user', { name: 'Bob Browser' })
    const sent = await alice.client.transfers.create({
      receiver_id: bob.id,
      amount: 1_250,
      description: 'Concert tickets',
    })
    const support = await person('support')
    const page = await signIn(browser, support.email)

    await page.getByTestId('ledger-status').getByText('Ledger balanced').waitFor()
    await screenshot(page, '01-dashboard')

    await page.getByRole('menuitem', { name: 'Users' }).click()
    await page.fill('input[name="q"]', alice.email)
    // The search is debounced: wait until the list holds only the match.
    await page.waitForFunction((email) => {
      const rows = document.querySelectorAll('tbody tr')
      return rows.length === 1 && rows[0]!.textContent!.includes(email)
    }, alice.email)
    await screenshot(page, '02-users-search')
    await page.getByText(alice.email).click()
    await page.getByTestId('wallet-USD').getByTestId('balance').getByText('$87.50').waitFor()
    // Support cannot adjust balances: the button is not there.
    assert.equal(await page.getByRole('button', { name: 'Adjust', exact: true }).count(), 0)
    await screenshot(page, '03-user-show')

    await page.getByRole('button', { name: 'Freeze', exact: true }).click()
    await page.fill('textarea[name="reason"]', 'Card reported stolen')
    await page.getByRole('button', { name: 'Freeze account' }).click()
    await page.getByText('Account frozen').waitFor()
    await page.getByRole('button', { name: 'Unfreeze', exact: true }).waitFor()
    const frozen = await alice.client.transfers
      .create({ receiver_id: bob.id, amount: 1 })
      .catch((e) => e)
    assert.equal(frozen.code, 'account_frozen')
    await screenshot(page, '04-user-frozen')

    await page.getByRole('button', { name: 'Unfreeze', exact: true }).click()
    await page.fill('textarea[name="reason"]', 'Customer verified by phone')
    await page.getByRole('button', { name: 'Unfreeze account' }).click()
    // Names match by substring unless exact: "Freeze" would also find "Unfreeze".
    await page.getByText('Account unfrozen').waitFor()
    await page.getByRole('button', { name: 'Freeze', exact: true }).waitFor()
    await alice.client.transfers.create({ receiver_id: bob.id, amount: 1 })

    await page.getByRole('menuitem', { name: 'Transfers' }).click()
    await page.getByText('Concert tickets').click()
    await page.getByTestId('entries').getByText('Alice Browser').waitFor()
    assert.include(await page.getByTestId('entries').innerText(), '$87.50')
    assert.include(page.url(), `/transfers/${sent.id}/show`)
    // Support cannot reverse: the button is not there, and the server refuses anyway.
    assert.equal(await page.getByRole('button', { name: 'Reverse', exact: true }).count(), 0)
    await screenshot(page, '05-transfer-show')
    await page.context().close()
  })

  test('an admin reverses a transfer: both balances move back and the audit log shows it', async ({
    assert,
  }) => {
    const alice = await person('user', { name: 'Alice Reversal', funds: 5_000 })
    const bob = await person('user', { name: 'Bob Reversal' })
    const sent = await alice.client.transfers.create({
      receiver_id: bob.id,
      amount: 2_000,
      description: 'Sent to the wrong Bob',
    })
    const admin = await person('admin')
    const page = await signIn(browser, admin.email)
    await page.getByTestId('ledger-status').waitFor()

    await page.goto(`${apiUrl()}/admin/#/transfers/${sent.id}/show`)
    await page.getByRole('button', { name: 'Reverse', exact: true }).click()
    // Typed over two lines: kept as one, as people's history shows it.
    await page.fill('textarea[name="reason"]', 'Customer sent to\nthe wrong person')
    await screenshot(page, '06-reverse-confirm')
    await page.getByRole('button', { name: 'Reverse transfer' }).click()
    await page.getByText('Reversed by').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Reverse', exact: true }).count(), 0)
    await screenshot(page, '07-transfer-reversed')

    assert.equal((await alice.client.wallets.usd()).balance, 5_000)
    assert.equal((await bob.client.wallets.usd()).balance, 0)
    await page.getByTestId('entries').getByText('Alice Reversal').click()
    await page.getByTestId('wallet-USD').getByTestId('balance').getByText('$50.00').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${bob.id}/show`)
    await page.getByTestId('wallet-USD').getByTestId('balance').getByText('$0.00').waitFor()

    await page.getByRole('menuitem', { name: 'Audit log' }).click()
    const row = page.locator('tbody tr', { hasText: 'Customer sent to the wrong person' })
    await row.waitFor()
    assert.include(await row.innerText(), 'transfer.reverse')
    assert.include(await row.innerText(), admin.email)
    await screenshot(page, '08-audit-log')
    await page.context().close()
  })

  test('an admin adjusts a balance after seeing the result, then exports the statement', async ({
    assert,
  }) => {
    const carol = await person('user', { name: 'Carol Adjust', funds: 1_000 })
    const admin = await person('admin')
    const page = await signIn(browser, admin.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${carol.id}/show`)
    await page
      .getByTestId('wallet-USD')
      .getByRole('button', { name: 'Adjust', exact: true })
      .click()
    await page.fill('input[name="amount"]', '2.505')
    await page.getByText('USD has 2 decimal places').waitFor()
    await page.fill('input[name="amount"]', '2.50')
    await page.fill('textarea[name="reason"]', 'Refund of a duplicate fee')
    await page.getByRole('button', { name: 'Review' }).click()
    const confirmation = page.getByTestId('adjust-confirmation')
    assert.include(await confirmation.innerText(), 'from $10.00 to $12.50')
    await page.locator('button:has-text("Confirm adjustment"):not([disabled])').waitFor()
    await page.waitForTimeout(300) // let the button's colour transition finish for the picture
    await screenshot(page, '09-adjust-confirm')
    await page.getByRole('button', { name: 'Confirm adjustment' }).click()
    await page.getByTestId('wallet-USD').getByTestId('balance').getByText('$12.50').waitFor()
    assert.equal((await carol.client.wallets.usd()).balance, 1_250)

    await page.getByTestId('wallet-USD').getByRole('link', { name: 'Statement' }).click()
    await page
      .getByTestId('statement')
      .getByRole('cell', { name: 'adjustment', exact: true })
      .waitFor()
    const balances = await page.getByTestId('statement-balances').innerText()
    assert.include(balances, 'Opening balance $0.00')
    assert.include(balances, 'Closing balance $12.50')
    await screenshot(page, '10-statement')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csv = await readFile(await download.path(), 'utf8')
    assert.match(csv, /^posted_at,transfer_id,kind,description,direction,amount,balance_after/)
    assert.include(csv, 'adjustment')
    assert.equal(download.suggestedFilename(), 'purse-USD-statement.csv')
    await page.context().close()
  })

  test('a large adjustment waits for a second admin, who approves it in Proposals', async ({
    assert,
  }) => {
    const dora = await person('user', { name: 'Dora Large', funds: 1_000 })
    const first = await person('admin', { name: 'First Admin' })
    const second = await person('admin', { name: 'Second Admin' })
    const page = await signIn(browser, first.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${dora.id}/show`)
    await page
      .getByTestId('wallet-USD')
      .getByRole('button', { name: 'Adjust', exact: true })
      .click()
    await page.fill('input[name="amount"]', '2000.00')
    await page.fill('textarea[name="reason"]', 'Compensation agreed by the ombudsman')
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByRole('button', { name: 'Confirm adjustment' }).click()
    await page.getByText('Sent to a second admin for approval').waitFor()
    assert.equal((await dora.client.wallets.usd()).balance, 1_000)
    await page.goto(`${apiUrl()}/admin/#/proposals`)
    await page.getByText('Compensation agreed by the ombudsman').waitFor()
    // One's own proposal can be withdrawn, never approved.
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0)
    await page.context().close()

    const other = await signIn(browser, second.email)
    await other.getByTestId('ledger-status').waitFor()
    await other.getByRole('menuitem', { name: 'Proposals' }).click()
    await other.getByText('Compensation agreed by the ombudsman').waitFor()
    await screenshot(other, '17-proposals')
    await other.getByRole('button', { name: 'Approve' }).click()
    await other.fill('textarea[name="reason"]', 'Ombudsman letter checked')
    await other.getByRole('button', { name: 'Approve' }).last().click()
    await other.getByText('Approved: the money moved').waitFor()
    assert.equal((await dora.client.wallets.usd()).balance, 201_000)
    await other.context().close()
  })

  test("an admin sets a person's daily limit; it shows as set by staff", async ({ assert }) => {
    const erin = await person('user', { name: 'Erin Limits', funds: 1_000 })
    const admin = await person('admin')
    const page = await signIn(browser, admin.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${erin.id}/show`)
    const limits = page.getByTestId('limits')
    await limits.getByRole('button', { name: 'Set daily USD' }).click()
    await page.fill('input[name="limit"]', '250.00')
    await page.fill('textarea[name="reason"]', 'Customer asked for a lower limit')
    await page.getByRole('button', { name: 'Set limit' }).click()
    await page.getByText('Limit set', { exact: true }).waitFor()
    await limits.getByText('set by staff').waitFor()
    const daily = (await erin.client.limits('USD')).find((l) => l.rule === 'daily')
    assert.equal(daily?.limit, 25_000)
    await page.context().close()
  })

  test('a debit refused because the person spent the money can be changed and made', async ({
    assert,
  }) => {
    const dora = await person('user', { name: 'Dora Spends', funds: 1_000 })
    const shop = await person('user', { name: 'Shop Sells' })
    const admin = await person('admin')
    const page = await signIn(browser, admin.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${dora.id}/show`)
    const wallet = page.getByTestId('wallet-USD')
    await wallet.getByTestId('balance').getByText('$10.00').waitFor()
    await wallet.getByRole('button', { name: 'Adjust', exact: true }).click()
    await page.getByRole('combobox', { name: 'Direction' }).click()
    await page.getByRole('option', { name: 'Debit (take money)' }).click()
    await page.fill('input[name="amount"]', '8.00')
    await page.fill('textarea[name="reason"]', 'Chargeback from the card network')
    await page.getByRole('button', { name: 'Review' }).click()
    // While the admin reads the confirmation, Dora spends half of it.
    await dora.client.transfers.create({ receiver_id: shop.id, amount: 500 })
    await page.locator('button:has-text("Confirm adjustment"):not([disabled])').click()
    await page.getByText('this debit needs 8.00 USD').waitFor()
    assert.equal((await dora.client.wallets.usd()).balance, 500)
    // A smaller debit in the same dialog is a new adjustment, not a reused key.
    await page.getByRole('button', { name: 'Back' }).click()
    await page.fill('input[name="amount"]', '4.00')
    await page.getByRole('button', { name: 'Review' }).click()
    await page.locator('button:has-text("Confirm adjustment"):not([disabled])').click()
    await wallet.getByTestId('balance').getByText('$1.00').waitFor()
    assert.equal((await dora.client.wallets.usd()).balance, 100)
    await page.context().close()
  })

  test('an admin is not offered freeze, adjust or reverse on their own account', async ({
    assert,
  }) => {
    const admin = await person('admin', { funds: 500 })
    const dave = await person('user', { name: 'Dave Self', funds: 1_000 })
    const paid = await dave.client.transfers.create({
      receiver_id: admin.id,
      amount: 300,
      description: 'Paid to staff',
    })
    const page = await signIn(browser, admin.email)
    await page.getByTestId('ledger-status').waitFor()
    // Someone else's page first: the buttons are there once the page is loaded.
    await page.goto(`${apiUrl()}/admin/#/users/${dave.id}/show`)
    await page.getByTestId('wallet-USD').getByRole('button', { name: 'Adjust' }).waitFor()
    await page.getByRole('button', { name: 'Freeze', exact: true }).waitFor()

    await page.goto(`${apiUrl()}/admin/#/users/${admin.id}/show`)
    await page.getByTestId('wallet-USD').getByTestId('balance').getByText('$8.00').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Freeze', exact: true }).count(), 0)
    assert.equal(await page.getByRole('button', { name: 'Adjust', exact: true }).count(), 0)
    await page.goto(`${apiUrl()}/admin/#/transfers/${paid.id}/show`)
    await page.getByTestId('entries').getByText('Dave Self').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Reverse', exact: true }).count(), 0)
    await page.context().close()
  })

  test('a plain user cannot sign in; an empty search says so', async ({ assert }) => {
    const user = await person('user')
    const page = await signIn(browser, user.email)
    // Purse's own sign-in page, which asks for an email, not a "username".
    await page.getByRole('heading', { name: 'Purse console' }).waitFor()
    await page.getByLabel('Email').first().waitFor()
    await page.getByText('no staff role').waitFor()
    assert.equal(await page.locator('input[name="password"]').count(), 1)
    await screenshot(page, '11-login-refused')
    await page.context().close()

    const support = await person('support')
    const staff = await signIn(browser, support.email)
    await staff.getByTestId('ledger-status').waitFor()
    await staff.goto(`${apiUrl()}/admin/#/users`)
    await staff.fill('input[name="q"]', 'nobody-by-this-name')
    await staff.getByTestId('empty-state').getByText('No one matches').waitFor()
    await screenshot(staff, '12-users-empty')
    await staff.context().close()
  })

  test('staff with two-step sign-in give their code on the same form', async () => {
    const admin = await person('admin', { name: 'Careful Admin' })
    const enrolment = await admin.client.mfa.beginTotp()
    await admin.client.mfa.confirmTotp(
      TOTP.generate({ secret: Secret.fromBase32(enrolment.secret) })
    )
    const page = await signIn(browser, admin.email)
    await page.getByText('Two-step sign-in is on: enter the code').waitFor()
    // The next step's code: the one used to confirm it works once.
    const next = TOTP.generate({
      secret: Secret.fromBase32(enrolment.secret),
      timestamp: Date.now() + 30_000,
    })
    await page.fill('input[name="code"]', next)
    await page.click('button[type="submit"]:not([disabled])')
    await page.getByTestId('ledger-status').waitFor()
    await page.context().close()
  })

  test('a long description wraps in the transfers list instead of widening the page', async ({
    assert,
  }) => {
    const alice = await person('user', { name: 'Alice Wrap', funds: 1_000 })
    const bob = await person('user', { name: 'Bob Wrap' })
    // 280 characters and no space to break at: the worst case for a table cell.
    await alice.client.transfers.create({
      receiver_id: bob.id,
      amount: 1,
      description: 'x'.repeat(280),
    })
    const support = await person('support')
    const page = await signIn(browser, support.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/transfers`)
    await page.getByText('Alice Wrap').first().waitFor()
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth
    )
    assert.isAtMost(overflow, 0)
    await screenshot(page, '13-transfers-long-description')
    await page.context().close()
  })

  test("support revokes a partner's API key and sees its webhook endpoints and events", async ({
    assert,
  }) => {
    const partner = await person('user', { name: 'Partner Shop', funds: 2_000 })
    const key = await partner.client.apiKeys.create({
      name: 'Shop backend',
      scopes: ['events:read'],
    })
    await partner.client.webhooks.endpoints.create({ url: 'https://93.184.216.34/shop/hooks' })
    const support = await person('support')
    const page = await signIn(browser, support.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${partner.id}/show`)
    const row = page.getByTestId(`api-key-${key.id}`)
    await row.getByText('Shop backend').waitFor()
    assert.include(await row.innerText(), key.prefix)
    assert.notInclude(await page.content(), key.secret)
    await page
      .getByTestId('webhook-endpoints')
      .getByText('https://93.184.216.34/shop/hooks')
      .waitFor()
    await screenshot(page, '14-user-partner-access')
    await row.getByRole('button', { name: 'Revoke' }).click()
    await page.fill('textarea[name="reason"]', 'Key pasted in a support ticket')
    await page.getByRole('button', { name: 'Revoke key' }).click()
    await page.getByText('API key revoked').waitFor()
    await row.getByText('revoked').waitFor()
    const refused = await fetch(`${apiUrl()}/api/v1/events`, {
      headers: { authorization: `Bearer ${key.secret}` },
    })
    assert.equal(refused.status, 401)

    await page.getByTestId('webhook-endpoints').getByRole('link', { name: 'Attempts' }).click()
    await page.getByText('No attempts yet').waitFor()
    await page.getByRole('menuitem', { name: 'Events' }).click()
    await page.getByText('api_key.revoked').first().waitFor()
    await screenshot(page, '15-events')
    await page.context().close()
  })

  test('support sees where a person is signed in, signs them out everywhere, and resends the verification mail', async ({
    assert,
  }) => {
    const victim = await person('user', { name: 'Stolen Password' })
    const enrolment = await victim.client.mfa.beginTotp()
    await victim.client.mfa.confirmTotp(
      TOTP.generate({ secret: Secret.fromBase32(enrolment.secret) })
    )
    const support = await person('support')
    const page = await signIn(browser, support.email)
    await page.getByTestId('ledger-status').waitFor()
    await page.goto(`${apiUrl()}/admin/#/users/${victim.id}/show`)
    const security = page.getByTestId('security')
    await security.getByText('email not confirmed').waitFor()
    await security.getByText('two-step on: app · 10 recovery codes left').waitFor()
    assert.notInclude(await page.content(), enrolment.secret)
    await security.getByTestId('sessions').locator('tbody tr').first().waitFor()
    const { refresh_token: refreshToken } = (await victim.client.tokens.get())!
    assert.notInclude(await page.content(), refreshToken!)
    await screenshot(page, '16-user-security')

    await security.getByRole('button', { name: 'Sign out everywhere' }).click()
    await page.fill('textarea[name="reason"]', 'Password seen in a phishing report')
    await page.getByRole('button', { name: 'Sign out everywhere' }).last().click()
    await page.getByText('Signed out everywhere', { exact: true }).waitFor()
    await security.getByText('Not signed in anywhere.').waitFor()
    const me = await fetch(`${apiUrl()}/api/v1/me`, {
      headers: { authorization: `Bearer ${(await victim.client.tokens.get())!.access_token}` },
    })
    assert.equal(me.status, 401)

    await security.getByRole('button', { name: 'Resend verification' }).click()
    await page.fill('textarea[name="reason"]', 'Asked by phone after identity check')
    await page.getByRole('button', { name: 'Send the mail' }).click()
    await page.getByText('Verification mail sent').waitFor()
    await page.getByRole('menuitem', { name: 'Audit log' }).click()
    await page.getByText('user.end_sessions').first().waitFor()
    await page.getByText('user.resend_verification').first().waitFor()
    await page.context().close()
  })
})
