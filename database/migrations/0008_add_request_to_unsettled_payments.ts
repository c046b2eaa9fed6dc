import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What an unsettled staff movement was asked as: its ledger idempotency key
 * and the request's id. The audit row the follow-up writes for it then
 * carries the request id, as one written at the time would.
 */
export default class extends BaseSchema {
  protected tableName = 'unsettled_payments'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.text('ledger_key').nullable()
      table.text('request_id').nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('ledger_key')
      table.dropColumn('request_id')
    })
  }
}
