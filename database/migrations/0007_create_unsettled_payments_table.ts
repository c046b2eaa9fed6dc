import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Payments whose outcome the API never learnt (ledger-core timed out or the
 * connection dropped after the request was sent): each waits here until the
 * payer's history has been reconciled with the ledger (PaymentFollowUp).
 */
export default class extends BaseSchema {
  protected tableName = 'unsettled_payments'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.uuid('user_id').notNullable().references('users.id')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
