import { assert } from '@japa/assert'
import { configure, processCLIArgs, run } from '@japa/runner'
import { build } from 'vite'
import { startWalletStack } from '../tests/support.ts'

/**
 * The web wallet's tests: the built wallet in Debian's Chromium, served by
 * the API under /app, against the real API, ledger-core and PostgreSQL.
 */
processCLIArgs(process.argv.splice(2))
configure({
  files: ['tests/**/*.spec.ts'],
  plugins: [assert()],
  setup: [
    async () => {
      await build({
        configFile: new URL('../vite.config.ts', import.meta.url).pathname,
        logLevel: 'warn',
      })
    },
    () => startWalletStack(),
  ],
  timeout: 90_000,
})
await run()
