import { migrate } from './store/migrator.ts'

/** `npm run migrate -w ledger-core`: apply ledger-core's migrations to DATABASE_URL. */
const url = process.env.DATABASE_URL
if (!url) {
  console.error('DATABASE_URL must be set')
  process.exit(2)
}
const applied = await migrate(url)
console.log(applied.length ? `applied ${applied.join(', ')}` : 'ledger schema is up to date')
