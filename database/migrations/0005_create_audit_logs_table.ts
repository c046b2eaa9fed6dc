import { BaseSchema } from '@adonisjs/lucid/schema'

/** Who did what to whom, when and why: one row per support or admin action, never changed. */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.uuid('actor_id').notNullable().references('users.id')
      table.string('action', 64).notNullable()
      table.string('target_type', 32).notNullable()
      table.string('target_id', 64).notNullable()
      table.string('reason', 500).notNullable()
      table.string('request_id', 128).nullable()
      table.jsonb('details').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['created_at', 'id'])
      table.index(['target_id'])
      table.index(['actor_id'])
    })
    this.schema.raw(`
      CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit log rows are never changed'; END $$;
      CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
        FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
    `)
  }

  async down() {
    this.schema.raw('DROP TABLE audit_logs; DROP FUNCTION refuse_audit_change();')
  }
}
