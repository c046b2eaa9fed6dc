import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Sessions ended by logout, by their id (the `sid` of their access tokens,
 * the family of their refresh tokens), until the last access token the
 * session could hold has expired. Kept like revoked_access_tokens: every
 * process holds the live part in memory (RevocationService).
 */
export default class extends BaseSchema {
  protected tableName = 'revoked_sessions'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('sid').primary()
      table.timestamp('expires_at', { useTz: true }).notNullable().index()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
