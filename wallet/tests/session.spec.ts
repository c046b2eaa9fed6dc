import { test } from '@japa/runner'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  access_token_ttl_ms,
  apiUrl,
  appUrl,
  launchBrowser,
  look,
  newPage,
  person,
  readableStorage,
  signIn,
} from './support.ts'

/**
 * Sessions in the browser: the access token in memory only, the refresh
 * token in an HttpOnly cookie no script can read or another site can send,
 * a reload that resumes, a sign-out that ends it, and an access token that
 * expires under a person's fingers without them noticing.
 */
let browser: Browser
/** Opened first and used last, so its access token has expired by then. */
let early: { context: BrowserContext; page: Page; since: number; seen: string[] }

async function refreshCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === 'purse_refresh')
}

test.group('Wallet: sessions', (group) => {
  group.setup(async () => {
    browser = await launchBrowser()
    const someone = await person({ name: 'Early Bird', funds: 1_000 })
    early = { ...(await newPage(browser)), since: 0, seen: [] }
    await signIn(early.page, someone.email)
    early.since = Date.now()
    // Everything the page asks for and every address it shows from now on.
    early.page.on('request', (request) => early.seen.push(new URL(request.url()).pathname))
    early.page.on('framenavigated', (frame) =>
      early.seen.push(`navigated ${new URL(frame.url()).pathname}`)
    )
    return () => browser.close()
  })

  test('no token is readable by the page; a reload resumes through the cookie', async ({
    assert,
  }) => {
    const alice = await person({ name: 'Alice Session' })
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    const cookie = await refreshCookie(context)
    assert.isDefined(cookie)
    assert.isTrue(cookie!.httpOnly)
    assert.equal(cookie!.sameSite, 'Strict')
    assert.equal(cookie!.path, '/api/v1/auth')
    const stored = await readableStorage(page)
    assert.notInclude(stored.cookie, 'purse_refresh')
    for (const place of [stored.cookie, stored.local, stored.session]) {
      assert.notInclude(place, cookie!.value)
      assert.notMatch(place, /eyJ[\w-]+\.[\w-]+\./, 'no JWT where scripts can read it')
    }

    await page.reload()
    await page.getByRole('heading', { name: 'Hi, Alice' }).waitFor()
    await page.goto(appUrl('/account'))
    await page.getByText(alice.email).first().waitFor()
    const found = await look(page, '15-account')
    await context.close()
    assert.deepEqual(found, [])
  })

  test('signing out ends the session: back shows sign-in and the old cookie is refused', async ({
    assert,
  }) => {
    const alice = await person({ name: 'Alice Leaving' })
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    const before = (await refreshCookie(context))!.value
    await page.getByRole('link', { name: 'Account', exact: true }).click()
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    assert.isUndefined(await refreshCookie(context))
    await page.goBack()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    assert.equal(await page.getByText('Alice Leaving').count(), 0)

    // The cookie stolen before sign-out is worth nothing after it.
    const replay = await fetch(`${apiUrl()}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: {
        'origin': apiUrl(),
        'purse-session': 'cookie',
        'cookie': `purse_refresh=${before}`,
      },
    })
    assert.equal(replay.status, 401)
    await context.close()
  })

  test('tabs share the session: signing out or in as someone else in one starts the others again', async () => {
    const alice = await person({ name: 'Alice Tabs' })
    const bob = await person({ name: 'Bob Tabs' })
    const { page: first, context } = await newPage(browser)
    await signIn(first, alice.email)
    const second = await context.newPage()
    await second.goto(appUrl('/'))
    await second.getByRole('heading', { name: 'Hi, Alice' }).waitFor()

    await second.getByRole('link', { name: 'Account', exact: true }).click()
    await second.getByRole('button', { name: 'Sign out', exact: true }).click()
    await first.getByRole('heading', { name: 'Sign in' }).waitFor()

    await signIn(second, bob.email)
    await first.getByRole('heading', { name: 'Hi, Bob' }).waitFor()
    await context.close()
  })

  test('a form on another site cannot refresh or end the session', async ({ assert }) => {
    const alice = await person({ name: 'Alice Targeted' })
    const { page, context } = await newPage(browser)
    await signIn(page, alice.email)
    const cookie = (await refreshCookie(context))!.value
    // Another site: localhost is not 127.0.0.1 to the browser, so the cookie is cross-site there.
    const evil = apiUrl().replace('127.0.0.1', 'localhost')
    await page.route(`${evil}/prize`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: ['refresh', 'logout']
          .map(
            (action) =>
              `<form method="post" action="${apiUrl()}/api/v1/auth/${action}"><button>${action}</button></form>`
          )
          .join(''),
      })
    )
    for (const action of ['refresh', 'logout']) {
      await page.goto(`${evil}/prize`)
      const [answer] = await Promise.all([
        page.waitForResponse(`${apiUrl()}/api/v1/auth/${action}`),
        page.getByRole('button', { name: action }).click(),
      ])
      assert.isAtLeast(answer.status(), 400, action)
      assert.isBelow(answer.status(), 500, action)
    }
    // The session is whole: same cookie, and the wallet still opens.
    assert.equal((await refreshCookie(context))!.value, cookie)
    await page.goto(appUrl('/'))
    await page.getByRole('heading', { name: 'Hi, Alice' }).waitFor()
    await context.close()
  })

  test('an access token that expires mid-session is renewed without a sign-in', async ({
    assert,
  }) => {
    const { page, since, seen } = early
    const wait = since + access_token_ttl_ms + 2_000 - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    // The page's event stream or this click met the expired token: either way, a refresh.
    await page.getByRole('link', { name: 'History', exact: true }).click()
    await page.getByRole('heading', { name: 'History' }).waitFor()
    await page
      .getByRole('list', { name: 'Payments', exact: true })
      .getByText('Added money')
      .waitFor()
    assert.include(seen, '/api/v1/auth/refresh')
    assert.notInclude(seen, '/api/v1/auth/login')
    assert.isFalse(seen.some((s) => s.includes('sign-in')))
    await early.context.close()
  })
})
