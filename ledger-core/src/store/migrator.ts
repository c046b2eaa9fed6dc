import { readdir, readFile } from 'node:fs/promises'
import pg from 'pg'

const migrations_dir = new URL('../../migrations/', import.meta.url)
// Any fixed number works; it only has to be the same for every process.
const migration_lock_id = 7_340_211

/**
 * Apply the SQL files of migrations/ in name order, each once, each in its own
 * transaction. An advisory lock lets many replicas call this at once safely.
 */
export async function migrate(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString, application_name: 'ledger-migrate' })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migration_lock_id])
    await client.query('CREATE SCHEMA IF NOT EXISTS ledger')
    await client.query(
      `CREATE TABLE IF NOT EXISTS ledger.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`
    )
    const done = new Set(
      (await client.query('SELECT name FROM ledger.schema_migrations')).rows.map((r) => r.name)
    )
    const files = (await readdir(migrations_dir)).filter((f) => f.endsWith('.sql')).sort()
    const applied: string[] = []
    for (const file of files) {
      if (done.has(file)) continue
      const sql = await readFile(new URL(file, migrations_dir), 'utf8')
      await client.query('BEGIN')
      try {
        await client.query(sql)
        await client.query('INSERT INTO ledger.schema_migrations (name) VALUES ($1)', [file])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${file} failed: ${(error as Error).message}`)
      }
      applied.push(file)
    }
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migration_lock_id]).catch(() => {})
    await client.end()
  }
}
