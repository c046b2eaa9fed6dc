import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'
import { database_connect_timeout_ms, database_query_timeout_ms } from '@purse/ledger-core'

/**
 * node-postgres settings. `query_timeout`: a database that stops answering
 * but keeps its connections open would otherwise hold each request forever
 * (see ledger-core's database_query_timeout_ms); the request answers 503.
 * Only for the HTTP server: a migration or a maintenance command may rightly
 * run longer. (Lucid's types leave the setting out; node-postgres reads it.)
 */
const connection = {
  connectionString: env.get('DATABASE_URL'),
  query_timeout: app.getEnvironment() === 'web' ? database_query_timeout_ms : undefined,
}

/** The app's own tables live in the public schema; ledger-core owns `ledger`. */
const dbConfig = defineConfig({
  connection: 'postgres',
  connections: {
    postgres: {
      client: 'pg',
      connection,
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
