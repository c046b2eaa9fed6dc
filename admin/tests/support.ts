import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { memoryTokenStore } from '@purse/sdk'
import { launchBrowser, reportPageErrors } from '../../tests/support/browser.ts'
import { ace, startTestStack, type TestStack } from '../../tests/support/stack.ts'
import { createAuthProvider } from '../src/authProvider.ts'
import { createDataProvider } from '../src/dataProvider.ts'
import { createConsoleClient } from '../src/purse.ts'

export { launchBrowser }

let stack: TestStack | null = null

export const password = 'console test pass'

export async function startConsoleStack() {
  stack = await startTestStack('console')
  return () => stack!.stop()
}

export function apiUrl(): string {
  if (!stack) throw new Error('the stack is started by bin/test.ts')
  return stack.url
}

/** A person signed up through the API, with a role set by `node ace users:promote`. */
export async function person(
  role: 'user' | 'support' | 'admin',
  options: { name?: string; funds?: number } = {}
) {
  const email = `${role}-${randomUUID().slice(0, 8)}@console.test`
  const full_name =
    options.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${email.slice(0, 13)}`
  const client = createConsoleClient({ baseUrl: apiUrl(), tokenStore: memoryTokenStore() })
  const session = await client.auth.register({ email, password, full_name })
  if (options.funds) await client.deposits.create({ amount: options.funds })
  if (role !== 'user') await ace(['users:promote', email, `--role=${role}`], stack!.databaseUrl)
  return { email, full_name, id: session.user.id, client }
}

/** The console's providers as the browser builds them, for a signed-in staff member. */
export async function providers(email: string) {
  const purse = createConsoleClient({ baseUrl: apiUrl(), tokenStore: memoryTokenStore() })
  const auth = createAuthProvider(purse)
  await auth.login({ email, password })
  return { purse, auth, data: createDataProvider(purse) }
}

/** Screenshots of each main screen, for a person to look at; the folder is ignored by git. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: new URL(`../screenshots/${name}.png`, import.meta.url).pathname,
    fullPage: true,
  })
}

/** Open the console served by the API and sign in. */
export async function signIn(browser: Browser, email: string) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  })
  const page = await context.newPage()
  reportPageErrors(page, 'console')
  await page.goto(`${apiUrl()}/admin/`)
  await page.fill('input[name="email"]', email)
  await page.fill('input[name="password"]', password)
  await page.click('button[type="submit"]:not([disabled])')
  return page
}
