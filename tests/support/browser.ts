import { chromium, type Browser, type Page } from 'playwright-core'

const chromium_args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromium_args,
  })
}

/** A broken screen should fail with its cause, not only a timeout. */
export function reportPageErrors(page: Page, name: string) {
  page.on('pageerror', (error) => console.error(`${name} page error: ${error.message}`))
  page.on('console', (message) => {
    // A 401 is how a page learns it has no session yet: not a fault.
    if (message.type() === 'error' && !message.text().includes('status of 401'))
      console.error(`${name} error: ${message.text().slice(0, 500)}`)
  })
}
