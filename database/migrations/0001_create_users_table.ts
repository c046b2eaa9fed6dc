import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      // Stored trimmed, NFKC-normalised and lower-cased, so uniqueness is exact.
      table.string('email', 254).notNullable().unique()
      table.string('password', 255).notNullable()
      table.string('full_name', 100).notNullable()
      table.string('phone', 32).nullable()
      table.string('role', 16).notNullable().defaultTo('user').checkIn(['user', 'support', 'admin'])
      table.string('status', 16).notNullable().defaultTo('active').checkIn(['active', 'frozen'])
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
