import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MailDev } from 'maildev'
import { freePort } from '@purse/ledger-core/dev'

/**
 * A local SMTP server that keeps every mail it gets and shows them (maildev:
 * an inbox page and a REST API at /api/email). `npm run dev` points the app
 * at it and prints its inbox; the app's tests read the real mail from it.
 */
export async function startMailCatcher(ports: { smtp?: number; web?: number } = {}) {
  const smtp = ports.smtp ?? (await freePort())
  const web = ports.web ?? (await freePort())
  const mailDirectory = mkdtempSync(join(tmpdir(), 'purse-mail-'))
  const maildev = new MailDev({
    smtp,
    web,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    mailDirectory,
    silent: true,
  })
  await maildev.start()
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    inboxUrl: `http://127.0.0.1:${web}`,
    async stop() {
      await maildev.stop()
      rmSync(mailDirectory, { recursive: true, force: true })
    },
  }
}
