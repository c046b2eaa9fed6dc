import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What a person sees of each session: the device (user agent) and network
 * (an IP prefix, never the whole address) that signed in, and when it was
 * last used. Kept on every token of the session's family.
 */
export default class extends BaseSchema {
  protected tableName = 'refresh_tokens'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('user_agent', 300).nullable()
      table.string('ip_prefix', 50).nullable()
      table.index(['user_id', 'created_at'])
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['user_id', 'created_at'])
      table.dropColumn('user_agent')
      table.dropColumn('ip_prefix')
    })
  }
}
