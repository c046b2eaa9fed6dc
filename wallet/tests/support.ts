import { randomUUID } from 'node:crypto'
import AxeBuilder from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createPurseClient, memoryTokenStore } from '@purse/sdk'
import { launchBrowser, reportPageErrors } from '../../tests/support/browser.ts'
import { startTestStack, type TestStack } from '../../tests/support/stack.ts'
import { startMailCatcher } from '../../scripts/mail_catcher.ts'
import { freePort } from '@purse/ledger-core/dev'

export { launchBrowser }

let stack: TestStack | null = null
let inbox = ''

export const password = 'wallet test pass'
/** Access tokens live one minute here, so a test can outlast one and see the silent refresh. */
export const access_token_ttl_ms = 60_000

export async function startWalletStack() {
  const mail = await startMailCatcher()
  inbox = mail.inboxUrl
  // Passkeys need a domain: the same server as http://localhost is their relying party.
  const port = await freePort()
  stack = await startTestStack(
    'wallet',
    {
      ACCESS_TOKEN_TTL_MINUTES: '1',
      SMTP_URL: mail.smtpUrl,
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: `http://localhost:${port}`,
    },
    { port }
  )
  return async () => {
    await stack!.stop()
    await mail.stop()
  }
}

/** The link of the newest mail to `email` whose subject matches, as its reader would open it. */
export async function mailedLink(email: string, subject: RegExp): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const all = (await (await fetch(`${inbox}/api/email`)).json()) as {
      to: { address: string }[]
      subject: string
      text: string
    }[]
    const mail = all
      .filter((m) => m.to.some((to) => to.address === email) && subject.test(m.subject))
      .at(-1)
    const link = mail?.text.match(/https?:\/\/\S+#token=[\w-]+/)?.[0]
    if (link) return link
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no mail "${subject}" to ${email}`)
}

/** The stack's database, for a test that must move time on (a step-up growing old). */
export function databaseUrl(): string {
  if (!stack) throw new Error('the stack is started by bin/test.ts')
  return stack.databaseUrl
}

export function apiUrl(): string {
  if (!stack) throw new Error('the stack is started by bin/test.ts')
  return stack.url
}

/** Someone with a Purse account made through the SDK, optionally with money. */
export async function person(options: { name?: string; funds?: number } = {}) {
  const email = `${randomUUID().slice(0, 8)}@wallet.test`
  const full_name = options.name ?? `Person ${email.slice(0, 8)}`
  const client = createPurseClient({ baseUrl: apiUrl(), tokenStore: memoryTokenStore() })
  const session = await client.auth.register({ email, password, full_name })
  if (options.funds) await client.deposits.create({ amount: options.funds })
  return { email, full_name, id: session.user.id, client }
}

export const phone = { width: 390, height: 844 }
export const desktop = { width: 1280, height: 800 }

/** A fresh browser profile (its own cookie jar), phone-sized: the wallet is mobile-first. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: phone, acceptDownloads: true })
  const page = await context.newPage()
  reportPageErrors(page, 'wallet')
  return { context, page }
}

export function appUrl(path = '/'): string {
  return `${apiUrl()}/app${path}`
}

/** Sign in through the wallet's own form. */
export async function signIn(page: Page, email: string) {
  await page.goto(appUrl('/sign-in'))
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('heading', { name: /^Hi, / }).waitFor()
}

/**
 * A screen as people meet it: no serious or critical accessibility
 * violation (axe-core), and a picture at phone and desktop size in
 * wallet/screenshots/ (ignored by git) for a person to look at.
 */
export async function look(page: Page, name: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze()
  const found = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
    )
  const size = page.viewportSize() ?? phone
  for (const [label, viewport] of [
    ['phone', phone],
    ['desktop', desktop],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.screenshot({
      path: new URL(`../screenshots/${name}-${label}.png`, import.meta.url).pathname,
      fullPage: true,
    })
  }
  await page.setViewportSize(size)
  return found
}

/** Where the tokens could leak to page scripts: none may hold one. */
export function readableStorage(page: Page) {
  return page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
  }))
}
