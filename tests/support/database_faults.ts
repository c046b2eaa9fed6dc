import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'

/**
 * A fault in the app's database: from now on `table` refuses every new row
 * that fails `check` (SQL), until the returned function is called. The
 * constraint is NOT VALID, so rows already there are not checked: an earlier
 * test (the fuzz pays random amounts) may have left one that fails it.
 */
export async function refuseNewRows(table: string, check: string) {
  const name = `refuse_${randomUUID().replaceAll('-', '')}`
  await db.rawQuery(`ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (${check}) NOT VALID`)
  return async () => {
    await db.rawQuery(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`)
  }
}
