import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A person asks another for money. Paid at most once: `pay_key` is the
 * ledger idempotency key of the one payment being made for it, set while
 * it is made (status `paying`), so a retry learns that payment's outcome
 * instead of making another.
 */
export default class extends BaseSchema {
  protected tableName = 'payment_requests'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.uuid('payee_id').notNullable().references('users.id')
      table.uuid('payer_id').notNullable().references('users.id')
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable()
      table.string('note', 1200).nullable()
      table.string('status', 12).notNullable()
      table.uuid('pay_key').nullable()
      table.uuid('transfer_id').nullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('resolved_at', { useTz: true }).nullable()
      table.index(['payer_id', 'id'])
      table.index(['payee_id', 'id'])
    })
    this.schema.raw(
      `ALTER TABLE payment_requests ADD CONSTRAINT payment_requests_amount_positive CHECK (amount > 0)`
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
