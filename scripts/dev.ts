import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { migrate } from '@purse/ledger-core'
import { provisionDatabase } from '@purse/ledger-core/dev'
import { removeDevStack, writeDevStack } from '../start/dev_stack.ts'
import { startMailCatcher } from './mail_catcher.ts'

/**
 * `npm run dev`: run Purse on this machine with nothing installed by hand.
 * PostgreSQL comes from DATABASE_URL, else a container, else an embedded
 * server kept in .data/; migrations run; ledger-core and the API start; demo
 * users are created; the console and the web wallet start (Vite, hot reload); URLs
 * and credentials are printed.
 */
const database = await provisionDatabase({
  // Two stacks on one DATABASE_URL server keep apart with a name each.
  database: process.env.PURSE_DEV_DATABASE ?? 'purse_dev',
  fresh: false,
  dataDir: new URL('../.data/dev-postgres', import.meta.url).pathname,
})
const ledgerToken = process.env.LEDGER_API_TOKEN ?? randomBytes(24).toString('base64url')
// A token made up for this run is printed so ledger-core can be called by
// hand; one that came from the environment is a secret someone chose, and
// is not echoed.
const ledgerTokenShown = process.env.LEDGER_API_TOKEN ? 'from LEDGER_API_TOKEN' : ledgerToken
const ledgerPort = process.env.LEDGER_PORT ?? '4100'
const appPort = process.env.PORT ?? '3333'
const ledgerUrl = `http://127.0.0.1:${ledgerPort}`
const appUrl = `http://127.0.0.1:${appPort}`
const walletPort = process.env.WALLET_DEV_PORT ?? '5174'
const walletUrl = `http://127.0.0.1:${walletPort}/app/`
// Every mail the app sends lands in this inbox; none leaves the machine.
const mail = await startMailCatcher({
  smtp: Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025),
  web: Number(process.env.MAIL_CATCHER_PORT ?? 1080),
})
/** What the app's processes (and `node ace` beside them) run with. */
const stackEnv = {
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: appPort,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  DATABASE_URL: database.url,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  LEDGER_URL: ledgerUrl,
  LEDGER_API_TOKEN: ledgerToken,
  SANDBOX_DEPOSITS: 'true',
  SMTP_URL: mail.smtpUrl,
  // Mailed links open the wallet served by Vite.
  WALLET_URL: walletUrl,
  // Passkeys need a domain name: the wallet at http://localhost (Vite's, or the API's /app).
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: `http://localhost:${walletPort},http://localhost:${appPort}`,
  // Webhooks to a receiver on this machine (http://127.0.0.1:…), for trying them out.
  WEBHOOKS_ALLOW_LOCAL: 'true',
  // Stable across restarts of `npm run dev`, so sessions survive them.
  APP_KEY: process.env.APP_KEY ?? 'dev-only-app-key-not-for-production-000',
  JWT_SECRET: process.env.JWT_SECRET ?? 'dev-only-jwt-secret-not-for-production-0',
}
const appEnv = { ...process.env, ...stackEnv }
writeDevStack(stackEnv)

await migrate(database.url)
await run(['--import=@poppinss/ts-exec', 'ace.js', 'migration:run', '--force'], appEnv)

const children: ChildProcess[] = []
children.push(
  spawn(process.execPath, ['ledger-core/src/main.ts'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      LEDGER_API_TOKEN: ledgerToken,
      PORT: ledgerPort,
    },
  })
)
await waitFor(`${ledgerUrl}/health`)
children.push(
  spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    stdio: 'inherit',
    env: appEnv,
  })
)
await waitFor(`${appUrl}/health/live`)
// The webhook dispatcher: its own process, as in production.
children.push(
  spawn(process.execPath, ['--import=@poppinss/ts-exec', 'ace.js', 'webhooks:work'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: appEnv,
  })
)
const demo = await seed(appUrl)

// The console and the web wallet from source with hot reload; Vite proxies /api to the app.
const consolePort = process.env.ADMIN_DEV_PORT ?? '5173'
const consoleUrl = `http://127.0.0.1:${consolePort}/admin/`
children.push(
  vite('admin', { ADMIN_DEV_PORT: consolePort }),
  vite('wallet', { WALLET_DEV_PORT: walletPort })
)
await waitFor(consoleUrl)
await waitFor(walletUrl)

console.log(`
Purse is running (PostgreSQL: ${database.source})
  public API    ${appUrl}/api/v1   (health: ${appUrl}/health)
  SDK baseUrl   ${appUrl}   (createPurseClient({ baseUrl: '${appUrl}' }))
  ledger-core   ${ledgerUrl}   (service token ${ledgerTokenShown})
  API docs      ${appUrl}/docs
  webhooks      dispatched by \`node ace webhooks:work\` (running); endpoints may be http://127.0.0.1 here
  web wallet    ${walletUrl}   (end users: sign up, or sign in as a demo user; production builds serve it at ${appUrl}/app/)
  passkeys      ${walletUrl.replace('127.0.0.1', 'localhost')}   (the same wallet under a domain name, where passkeys work)
  console       ${consoleUrl}   (support and admin staff; production builds serve it at ${appUrl}/admin/)
  mail inbox    ${mail.inboxUrl}   (every mail Purse sends in development: verification, password reset, notices)
  demo users    ${demo.map((d) => `${d.email} / ${d.password} (${d.role}, ${d.balance} USD cents)`).join('\n                ')}
Try:  curl -s ${appUrl}/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"${demo[0]!.email}","password":"${demo[0]!.password}"}'
Staff: npm exec -- node ace users:promote <email> --role=support   (in another terminal, while this runs)
Stop with Ctrl-C.
`)

let stopping = false
async function stop(code = 0) {
  if (stopping) return
  stopping = true
  await Promise.all(
    children.map((child) => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      return new Promise((resolve) => child.once('exit', resolve))
    })
  )
  removeDevStack()
  await mail.stop()
  await database.stop()
  process.exit(code)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`a Purse process exited with code ${code}; stopping the rest`)
      void stop(1)
    }
  })
}

function vite(workspace: string, env: Record<string, string>) {
  return spawn(
    process.execPath,
    [new URL('../node_modules/vite/bin/vite.js', import.meta.url).pathname, '--host', '127.0.0.1'],
    {
      cwd: new URL(`../${workspace}`, import.meta.url).pathname,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PURSE_API_URL: appUrl, ...env },
    }
  )
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env })
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))
    )
  })
}

async function waitFor(url: string) {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${url} did not answer`)
}

/** Demo users, safe on every start: sign-up or sign-in, then top up to a starting balance. */
async function seed(url: string) {
  const people = [
    {
      email: 'alice@demo.purse.dev',
      password: 'alice-demo-pass',
      full_name: 'Alice Demo',
      balance: 100_00,
      role: 'user',
    },
    {
      email: 'bob@demo.purse.dev',
      password: 'bob-demo-pass',
      full_name: 'Bob Demo',
      balance: 25_00,
      role: 'user',
    },
    {
      email: 'support@demo.purse.dev',
      password: 'support-demo-pass',
      full_name: 'Sam Support',
      balance: 0,
      role: 'support',
    },
    {
      email: 'admin@demo.purse.dev',
      password: 'admin-demo-pass',
      full_name: 'Ada Admin',
      balance: 0,
      role: 'admin',
    },
  ]
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as any }
  }
  const balanceOf = async (token: string) => {
    const wallets = await fetch(`${url}/api/v1/wallets`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const { data } = (await wallets.json()) as { data: { currency: string; balance: number }[] }
    return data.find((wallet) => wallet.currency === 'USD')!.balance
  }
  const tokens: string[] = []
  for (const person of people) {
    let session = await post('/auth/register', person)
    if (session.status === 409) session = await post('/auth/login', person)
    if (session.status >= 300)
      throw new Error(`demo user ${person.email}: ${JSON.stringify(session.body)}`)
    const token = session.body.access_token
    tokens.push(token)
    if (!session.body.user.email_verified) {
      // A demo user from before verification existed has no link yet: ask for one.
      await post('/auth/email/resend', {}, token)
      await verifyByMail(person.email)
    }
    if ((await balanceOf(token)) === 0 && person.balance > 0)
      await post('/deposits', { amount: person.balance }, token)
    if (person.role !== 'user') {
      await run(
        [
          '--import=@poppinss/ts-exec',
          'ace.js',
          'users:promote',
          person.email,
          `--role=${person.role}`,
          '--reason=demo staff of the development server',
        ],
        appEnv
      )
    }
  }
  // One payment between the demo users on first start, so the console has a transfer to show.
  const history = await fetch(`${url}/api/v1/transfers?direction=sent`, {
    headers: { authorization: `Bearer ${tokens[0]}` },
  })
  if (((await history.json()) as { data: unknown[] }).data.length === 0)
    await post(
      '/transfers',
      { receiver_email: people[1]!.email, amount: 12_50, description: 'Pizza night' },
      tokens[0]
    )
  // Balances as they are now, after the demo payment and anything done on earlier starts.
  return Promise.all(
    people.map(async (person, i) => ({
      email: person.email,
      password: person.password,
      balance: await balanceOf(tokens[i]!),
      role: person.role,
    }))
  )
}

/** Demo people confirm their address as anyone would: with the link in the mail the inbox got. */
async function verifyByMail(email: string) {
  for (let tries = 0; tries < 100; tries++) {
    const inbox = (await (await fetch(`${mail.inboxUrl}/api/email`)).json()) as {
      to: { address: string }[]
      text: string
    }[]
    const link = inbox
      .filter((m) => m.to.some((to) => to.address === email))
      .map((m) => /verify-email#token=([\w-]+)/.exec(m.text)?.[1])
      .findLast(Boolean)
    if (link) {
      const verified = await fetch(`${appUrl}/api/v1/auth/email/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link }),
      })
      if (verified.ok) return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`demo user ${email}: no verification mail arrived`)
}
