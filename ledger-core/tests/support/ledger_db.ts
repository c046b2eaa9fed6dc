import pg from 'pg'
import { testDatabaseUrl } from './test_database.ts'

/** Read the ledger's tables directly, to prove what a test's requests did. */
export async function queryLedgerDb<T = any>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  try {
    return (await client.query(text, values)).rows
  } finally {
    await client.end()
  }
}
