import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Passwords are hashed in Unicode NFKC form (NIST SP 800-63B §5.1.1.2), so
 * one typed with a composed é on one keyboard and e + U+0301 on another is
 * the same password. Hashes made before hold the text as it was typed:
 * existing rows say so, and are checked as typed until their next sign-in
 * rehashes them.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.boolean('password_normalized').notNullable().defaultTo(false)
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.boolean('password_normalized').notNullable().defaultTo(true).alter()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('password_normalized')
    })
  }
}
