import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Access tokens revoked by logout, by jti, until they would expire anyway.
 * The durable list: every process keeps its live part in memory
 * (RevocationService) and reads it again from here.
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
