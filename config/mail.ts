import { defineConfig, transports } from '@adonisjs/mail'
import type { InferMailers } from '@adonisjs/mail/types'
import env from '#start/env'

/**
 * SMTP from SMTP_URL: smtp://user:password@host:587 (STARTTLS when the
 * server offers it) or smtps://…:465 (TLS from the start). In development
 * `npm run dev` starts a local mail catcher and points SMTP_URL at it.
 */
const url = new URL(env.get('SMTP_URL', 'smtp://127.0.0.1:1025'))
const secure = url.protocol === 'smtps:'
const user = decodeURIComponent(url.username)

const mailConfig = defineConfig({
  default: 'smtp',
  from: env.get('MAIL_FROM', 'Purse <no-reply@purse.localhost>'),
  mailers: {
    smtp: transports.smtp({
      host: url.hostname,
      port: Number(url.port || (secure ? 465 : 587)),
      secure,
      auth: user ? { type: 'login', user, pass: decodeURIComponent(url.password) } : undefined,
      // A mail waits in the outbox, so a slow server only delays it.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
