import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `transfers.reversal_of` is set on reversals only, a handful of rows, yet
 * its index held an entry for every payment: one index write per payment
 * and an index as large as the table, all of it nulls. Only the rows that
 * are reversals are indexed now; the lookup of a transfer's reversal
 * (`reversal_of = transfers.id`) reads the same index.
 *
 * Built CONCURRENTLY, outside a transaction, so that on a large history
 * payments keep being recorded while it builds. A build that fails leaves an
 * invalid index behind; `IF NOT EXISTS` would keep it, so it is dropped first.
 */
export default class extends BaseSchema {
  static disableTransactions = true

  async up() {
    this.schema.raw('DROP INDEX CONCURRENTLY IF EXISTS transfers_reversals_index')
    this.schema.raw(
      'CREATE INDEX CONCURRENTLY transfers_reversals_index ON transfers (reversal_of) WHERE reversal_of IS NOT NULL'
    )
    this.schema.raw('DROP INDEX CONCURRENTLY IF EXISTS transfers_reversal_of_index')
  }

  async down() {
    this.schema.raw('DROP INDEX CONCURRENTLY IF EXISTS transfers_reversal_of_index')
    this.schema.raw(
      'CREATE INDEX CONCURRENTLY transfers_reversal_of_index ON transfers (reversal_of)'
    )
    this.schema.raw('DROP INDEX CONCURRENTLY IF EXISTS transfers_reversals_index')
  }
}
