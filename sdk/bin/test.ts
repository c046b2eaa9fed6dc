import { assert } from '@japa/assert'
import { configure, processCLIArgs, run } from '@japa/runner'
import { startStack } from '../tests/support.ts'

/** The SDK's tests, against the real API and ledger on a real PostgreSQL. */
processCLIArgs(process.argv.splice(2))
configure({
  files: ['tests/**/*.spec.ts'],
  plugins: [assert()],
  setup: [() => startStack()],
  timeout: 60_000,
})
await run()
