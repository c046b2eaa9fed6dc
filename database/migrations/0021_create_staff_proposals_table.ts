import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Staff money above the approval threshold waits here for a second admin:
 * an adjustment of a wallet or a reversal of a transfer, proposed by one
 * admin and approved (then made) or rejected by another.
 */
export default class extends BaseSchema {
  protected tableName = 'staff_proposals'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.string('kind', 12).notNullable().checkIn(['adjustment', 'reversal'])
      table.uuid('target_id').notNullable()
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable()
      table.string('reason', 1200).notNullable()
      /** The proposer's Idempotency-Key: the same request proposes once. */
      table.string('idempotency_key', 255).notNullable()
      table.uuid('proposed_by').notNullable().references('users.id')
      table.string('status', 10).notNullable()
      table.uuid('decided_by').nullable().references('users.id')
      table.string('decision_reason', 1200).nullable()
      table.uuid('transfer_id').nullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('decided_at', { useTz: true }).nullable()
      table.unique(['proposed_by', 'kind', 'target_id', 'idempotency_key'])
      table.index(['status', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
