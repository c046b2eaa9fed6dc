/**
 * The mail the app really sent, read back from the SMTP catcher that
 * `npm run test:app` starts (maildev, MAILDEV_URL): nothing in a test
 * bypasses the mail path.
 */
export interface CaughtMail {
  id: string
  subject: string
  text: string
  html: string
  to: { address: string }[]
}

const mailbox_url = () => {
  const url = process.env.MAILDEV_URL
  if (!url) throw new Error('MAILDEV_URL is not set: run the tests with `npm run test:app`')
  return url
}

export async function mailTo(address: string): Promise<CaughtMail[]> {
  const response = await fetch(`${mailbox_url()}/api/email`)
  const all = (await response.json()) as CaughtMail[]
  return all.filter((mail) => mail.to.some((to) => to.address === address))
}

/** The newest mail to `address` whose subject matches, waited for (the outbox sends within a second or two). */
export async function waitForMail(address: string, subject: RegExp, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = (await mailTo(address)).filter((mail) => subject.test(mail.subject)).at(-1)
    if (found) return found
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${address}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The token of the link to the wallet page `page` in a mail, as a person would click it. */
export function linkToken(mail: CaughtMail, page: string): string {
  const match = mail.text.match(new RegExp(`/${page}#token=([A-Za-z0-9_-]+)`))
  if (!match) throw new Error(`no ${page} link in "${mail.subject}"`)
  return match[1]!
}
