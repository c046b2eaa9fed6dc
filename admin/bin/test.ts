import { assert } from '@japa/assert'
import { configure, processCLIArgs, run } from '@japa/runner'
import { build } from 'vite'
import { startConsoleStack } from '../tests/support.ts'

/**
 * The console's tests: its providers against the real API, and the built
 * console in Debian's Chromium, served by the API under /admin.
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
    () => startConsoleStack(),
  ],
  timeout: 60_000,
})
await run()
