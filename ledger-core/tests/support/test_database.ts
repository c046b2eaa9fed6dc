import { provisionDatabase, type ProvisionedDatabase } from '../../src/dev/database.ts'
import { migrate } from '../../src/store/migrator.ts'

let database: ProvisionedDatabase | null = null

/**
 * The database of this test run: fresh and migrated, on the server of
 * DATABASE_URL, else in a container, else embedded. Set by bin/test.ts.
 */
export function testDatabaseUrl(): string {
  if (!database) throw new Error('the test database is provisioned by bin/test.ts')
  return database.url
}

export async function setUpTestDatabase() {
  database = await provisionDatabase({
    database: `ledger_test_${process.pid}`,
    fresh: true,
    dataDir: new URL('../../../.data/ledger-test', import.meta.url).pathname,
  })
  await migrate(database.url)
  console.log(`ledger tests use ${database.source}`)
}

export async function tearDownTestDatabase() {
  await database?.stop()
}
