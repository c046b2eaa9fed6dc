import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Per-person payment limits. A payment reserves its amount here before it
 * reaches the ledger, under a lock on the person, so parallel payments
 * cannot together pass a limit; a payment refused for certain gives its
 * reservation back. Staff overrides of the default limits live beside.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('spend_reservations', (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.string('currency', 3).notNullable()
      table.bigInteger('amount').notNullable()
      /** The payment's ledger key: a retry of the same payment counts once. */
      table.string('payment_key', 300).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['user_id', 'payment_key'])
      table.index(['user_id', 'currency', 'created_at'])
    })
    this.schema.createTable('user_limits', (table) => {
      table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.string('currency', 3).notNullable()
      table.string('rule', 20).notNullable()
      table.bigInteger('value').notNullable()
      table.uuid('set_by').notNullable().references('users.id')
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.primary(['user_id', 'currency', 'rule'])
    })
  }

  async down() {
    this.schema.dropTable('user_limits')
    this.schema.dropTable('spend_reservations')
  }
}
