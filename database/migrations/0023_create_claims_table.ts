import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Money sent to an email address with no account yet. Its id is the
 * ledger's pending transfer (the hold on the sender's wallet); exactly one
 * of claim (post), cancel (void) or expiry wins there, and this row follows.
 */
export default class extends BaseSchema {
  protected tableName = 'claims'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.uuid('sender_id').notNullable().references('users.id')
      table.string('email', 254).notNullable()
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable()
      table.string('description', 1200).nullable()
      table
        .string('status', 10)
        .notNullable()
        .checkIn(['pending', 'claiming', 'claimed', 'cancelled', 'expired'])
      /** The sender's limits reservation, given back when the money goes back. */
      table.string('payment_key', 300).notNullable()
      table.uuid('claimed_by').nullable().references('users.id')
      table.uuid('transfer_id').nullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('resolved_at', { useTz: true }).nullable()
      table.index(['email', 'status'])
      table.index(['sender_id', 'created_at'])
      table.index(['status', 'expires_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
