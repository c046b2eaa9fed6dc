import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Mail waiting to go out, written in the transaction of what it tells of,
 * so a crash never loses one; any replica's mail worker takes it from here.
 * The body holds single-use links, so it is cleared once the mail is sent.
 */
export default class extends BaseSchema {
  protected tableName = 'mail_outbox'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.string('kind', 40).notNullable()
      table.string('to_address', 254).notNullable()
      table.string('subject', 200).notNullable()
      table.text('text_body').nullable()
      table.text('html_body').nullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at', { useTz: true }).notNullable()
      table.string('last_error', 500).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('sent_at', { useTz: true }).nullable()
    })
    // The worker's query: what is due and not sent yet.
    this.schema.raw(
      'CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL'
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
