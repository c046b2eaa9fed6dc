import { spawn } from 'node:child_process'
import { provisionDatabase } from '@purse/ledger-core/dev'
import { startMailCatcher } from './mail_catcher.ts'

/**
 * `npm run test:app`: the AdonisJS app's tests against a fresh database (on
 * DATABASE_URL's server, else a container, else embedded PostgreSQL) and the
 * Redis of REDIS_URL (127.0.0.1:6379 by default), with a mail catcher that
 * takes the mail the app sends (MAILDEV_URL, read by tests/support/mailbox.ts).
 */
const database = await provisionDatabase({
  database: `purse_app_test_${process.pid}`,
  fresh: true,
  dataDir: new URL('../.data/app-test', import.meta.url).pathname,
})
const mail = await startMailCatcher()
const child = spawn(
  process.execPath,
  ['--import=@poppinss/ts-exec', 'bin/test.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: process.env.APP_TEST_PORT ?? '3334',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      SANDBOX_DEPOSITS: 'true',
      CORS_ORIGINS: 'https://wallet.purse.test',
      METRICS_TOKEN: 'test-metrics-token-0123456789abcdef',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      SMTP_URL: mail.smtpUrl,
      MAILDEV_URL: mail.inboxUrl,
    },
  }
)
const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
await mail.stop()
await database.stop()
process.exit(code)
