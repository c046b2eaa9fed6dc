import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import { apiUrl } from './support.ts'

const exec = promisify(execFile)

test.group('Package', () => {
  test('npm pack makes a tarball a fresh project installs and uses, by import or require', async ({
    assert,
  }) => {
    const sdkDir = new URL('../', import.meta.url).pathname
    const project = await mkdtemp(join(tmpdir(), 'purse-sdk-consumer-'))
    try {
      const { stdout } = await exec('npm', ['pack', '--pack-destination', project, '--silent'], {
        cwd: sdkDir,
      })
      const tarball = join(project, stdout.trim().split('\n').pop()!)
      // What `npm init -y` writes: no "type", so a .js file is CommonJS.
      await writeFile(
        join(project, 'package.json'),
        JSON.stringify({ name: 'consumer', version: '1.0.0', private: true })
      )
      await exec('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project })
      const installed = join(project, 'node_modules/@purse/sdk/dist')
      assert.notInclude(readdirSync(installed, { recursive: true }).join(' '), '.map')
      const use = (load: string) => `${load}
const run = async () => {
  const purse = createPurseClient({ baseUrl: process.argv[2] })
  const session = await purse.auth.register({ email: process.argv[3], password: 'correct horse battery', full_name: 'Consumer' })
  const wallet = await purse.wallets.usd()
  console.log(JSON.stringify({ id: session.user.id, balance: wallet.balance, parsed: parseAmount('10.05', 'USD'), shown: formatAmount(1005, 'USD', 'en-US') }))
}
run()`
      await writeFile(
        join(project, 'use.mjs'),
        use("import { createPurseClient, parseAmount, formatAmount } from '@purse/sdk'")
      )
      await writeFile(
        join(project, 'index.js'),
        use("const { createPurseClient, parseAmount, formatAmount } = require('@purse/sdk')")
      )
      // The package promises Node.js 20+: run it on this machine's Node 20 too when there is one.
      const runtimes = [process.execPath, ...(existsSync('/usr/bin/node') ? ['/usr/bin/node'] : [])]
      for (const node of runtimes) {
        for (const file of ['use.mjs', 'index.js']) {
          const run = await exec(node, [file, apiUrl(), `${randomUUID()}@example.com`], {
            cwd: project,
          })
          const out = JSON.parse(run.stdout)
          assert.isString(out.id)
          assert.equal(out.balance, 0)
          assert.equal(out.parsed, 1005)
          assert.equal(out.shown, '$10.05')
        }
      }
    } finally {
      await rm(project, { recursive: true, force: true })
    }
  }).timeout(120_000)
})
