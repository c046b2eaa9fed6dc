import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The app's index of the transfers its users are part of, for history,
 * direction filters and support searches. ledger-core holds the money; this
 * table holds who was who, written once the ledger committed.
 */
export default class extends BaseSchema {
  protected tableName = 'transfers'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.string('kind', 16).notNullable().checkIn(['p2p', 'deposit', 'reversal', 'adjustment'])
      table.uuid('sender_id').nullable().references('users.id')
      table.uuid('receiver_id').nullable().references('users.id')
      table.bigInteger('amount').notNullable().checkPositive()
      table.string('currency', 3).notNullable()
      table.string('description', 280).nullable()
      table.uuid('reversal_of').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['sender_id', 'created_at', 'id'])
      table.index(['receiver_id', 'created_at', 'id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
