import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'
import { database_connect_timeout_ms } from '@purse/ledger-core'

/** The app's own tables live in the public schema; ledger-core owns `ledger`. */
const dbConfig = defineConfig({
  connection: 'postgres',
  connections: {
    postgres: {
      client: 'pg',
      connection: { connectionString: env.get('DATABASE_URL') },
      pool: {
        min: 0,
        max: env.get('DATABASE_POOL_MAX', 10),
        // Knex waits 60 s for a pooled connection (and one being opened) by
        // default: with the database unreachable every request would hang
        // that long instead of answering 503.
        acquireTimeoutMillis: database_connect_timeout_ms,
      },
      migrations: { naturalSort: true, paths: ['database/migrations'] },
    },
  },
})

export default dbConfig
