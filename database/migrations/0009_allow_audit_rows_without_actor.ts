import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Some privileged actions are taken by an operator on the command line
 * (`node ace users:promote`), not by a person signed in to the API: their
 * audit rows have no actor, and say in their details who ran the command.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.raw('ALTER TABLE audit_logs ALTER COLUMN actor_id DROP NOT NULL')
  }

  async down() {
    // Left nullable: rows without an actor may exist, and the append-only
    // log can neither drop nor rewrite them. Older code writes an actor
    // every time, so it runs the same on a nullable column.
  }
}
