import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Payments the API refused for a business reason (no funds, frozen account,
 * unknown receiver…), so support can answer "why did my payment fail?" and
 * the console can count failures. Nothing moved for any of these.
 */
export default class extends BaseSchema {
  protected tableName = 'refused_transfers'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.uuid('sender_id').notNullable().references('users.id')
      table.string('code', 32).notNullable()
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['created_at'])
      table.index(['sender_id', 'created_at'])
    })
    // Admin lists run newest first over every transfer, and a transfer's status looks for its reversal.
    this.schema.alterTable('transfers', (table) => {
      table.index(['created_at', 'id'])
      table.index(['reversal_of'])
    })
  }

  async down() {
    this.schema.alterTable('transfers', (table) => {
      table.dropIndex(['created_at', 'id'])
      table.dropIndex(['reversal_of'])
    })
    this.schema.dropTable(this.tableName)
  }
}
