import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Access tokens revoked by logout, by jti, until they would expire anyway.
 * Redis answers the per-request check; this table is the durable copy that
 * keeps revocations working while Redis is down.
 */
export default class extends BaseSchema {
  protected tableName = 'revoked_access_tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('jti').primary()
      table.timestamp('expires_at', { useTz: true }).notNullable().index()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
