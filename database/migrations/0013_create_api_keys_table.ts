import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Credentials a partner's server holds: a secret shown once, kept only as
 * its SHA-256 (a 256-bit random secret needs no slow hash), with a visible
 * prefix to tell keys apart, the scopes it may use, and when it was last used.
 */
export default class extends BaseSchema {
  protected tableName = 'api_keys'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').notNullable().references('users.id')
      table.string('name', 100).notNullable()
      table.string('prefix', 32).notNullable()
      table.specificType('secret_hash', 'char(64)').notNullable().unique()
      table.specificType('scopes', 'text[]').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('last_used_at', { useTz: true }).nullable()
      table.timestamp('expires_at', { useTz: true }).nullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      table.index(['user_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
