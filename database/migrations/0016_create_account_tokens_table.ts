import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Single-use secrets sent by mail (verify an email address, reset a
 * password): only their SHA-256 is kept, with the address they were sent
 * to, an expiry, and when they were used.
 */
export default class extends BaseSchema {
  protected tableName = 'account_tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.string('purpose', 30).notNullable()
      table.string('email', 254).notNullable()
      table.specificType('token_hash', 'char(64)').notNullable().unique()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('used_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['user_id', 'purpose'])
    })
    this.schema.alterTable('users', (table) => {
      table.timestamp('email_verified_at', { useTz: true }).nullable()
    })
  }

  async down() {
    this.schema.alterTable('users', (table) => {
      table.dropColumn('email_verified_at')
    })
    this.schema.dropTable(this.tableName)
  }
}
