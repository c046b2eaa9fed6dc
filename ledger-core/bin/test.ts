import { assert } from '@japa/assert'
import { configure, processCLIArgs, run } from '@japa/runner'
import { startSharedLedger } from '../tests/support/shared_ledger.ts'
import { setUpTestDatabase, tearDownTestDatabase } from '../tests/support/test_database.ts'

/**
 * ledger-core's tests, against a real PostgreSQL and real ledger-core
 * processes over HTTP. `npm test -w ledger-core -- unit` runs one suite.
 */
processCLIArgs(process.argv.splice(2))
configure({
  suites: [
    { name: 'unit', files: ['tests/unit/**/*.spec.ts'] },
    {
      name: 'api',
      files: ['tests/api/**/*.spec.ts'],
      configure: (suite) => suite.setup(() => startSharedLedger()),
    },
    { name: 'property', files: ['tests/property/**/*.spec.ts'], timeout: 120_000 },
    { name: 'process', files: ['tests/process/**/*.spec.ts'], timeout: 120_000 },
  ],
  plugins: [assert()],
  setup: [
    async () => {
      await setUpTestDatabase()
      return () => tearDownTestDatabase()
    },
  ],
  timeout: 30_000,
})
await run()
