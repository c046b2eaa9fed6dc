import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/** The app's own tables live in the public schema; ledger-core owns `ledger`. */
const dbConfig = defineConfig({
  connection: 'postgres',
  connections: {
    postgres: {
      client: 'pg',
      connection: { connectionString: env.get('DATABASE_URL') },
      pool: { min: 0, max: env.get('DATABASE_POOL_MAX', 10) },
      migrations: { naturalSort: true, paths: ['database/migrations'] },
    },
  },
})

export default dbConfig
