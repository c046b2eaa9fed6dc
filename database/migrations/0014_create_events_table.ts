import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The outbox: one row per change a person or a partner cares about, written
 * in the transaction of the row that records the change (a history row, an
 * audit row, an API key). `xid` is the writing transaction's id: a reader
 * that only reads events of transactions older than every one still running
 * (pg_snapshot_xmin) never skips one that commits late. Each event's
 * (type, person, subject) is unique, so a repair can never write one twice.
 *
 * A statement-level trigger queues a webhook delivery for every endpoint the
 * person has that wants the event, in the same transaction, and wakes the
 * processes streaming events (NOTIFY, sent at commit).
 */
export default class extends BaseSchema {
  protected tableName = 'events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.bigIncrements('seq', { primaryKey: false })
      table.specificType('xid', 'xid8').notNullable().defaultTo(this.raw('pg_current_xact_id()'))
      table.string('type', 64).notNullable()
      table.uuid('user_id').notNullable().references('users.id')
      table.uuid('subject_id').notNullable()
      table.jsonb('data').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['type', 'user_id', 'subject_id'])
      table.index(['user_id', 'created_at', 'id'])
      table.index(['created_at', 'id'])
      table.index(['xid', 'seq'])
    })
    this.schema.createTable('webhook_endpoints', (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').notNullable().references('users.id')
      table.string('url', 2048).notNullable()
      table.string('description', 200).nullable()
      table.specificType('event_types', 'text[]').notNullable()
      table.boolean('enabled').notNullable()
      table.text('secret').notNullable()
      table.text('previous_secret').nullable()
      table.timestamp('previous_secret_expires_at', { useTz: true }).nullable()
      table.string('disabled_reason', 300).nullable()
      table.timestamp('failing_since', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['user_id', 'created_at'])
    })
    this.schema.createTable('webhook_deliveries', (table) => {
      table.uuid('id').primary().defaultTo(this.raw('gen_random_uuid()'))
      table.uuid('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE')
      table.uuid('event_id').notNullable().references('events.id')
      table.string('status', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at', { useTz: true }).notNullable()
      table.timestamp('lease_until', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('delivered_at', { useTz: true }).nullable()
      table.index(['endpoint_id', 'created_at'])
    })
    this.schema.raw(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`
    )
    this.schema.createTable('webhook_attempts', (table) => {
      table.uuid('id').primary().defaultTo(this.raw('gen_random_uuid()'))
      table
        .uuid('delivery_id')
        .notNullable()
        .references('webhook_deliveries.id')
        .onDelete('CASCADE')
      table.uuid('endpoint_id').notNullable()
      table.uuid('event_id').notNullable()
      table.integer('attempt').notNullable()
      /** When the attempt started. */
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.integer('duration_ms').notNullable()
      table.integer('response_status').nullable()
      table.string('response_body', 512).nullable()
      table.string('error', 300).nullable()
      table.index(['endpoint_id', 'created_at', 'id'])
    })
    this.schema.raw(`
      CREATE FUNCTION events_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM new_events) THEN RETURN NULL; END IF;
        INSERT INTO webhook_deliveries (endpoint_id, event_id, next_attempt_at, created_at)
        SELECT w.id, e.id, clock_timestamp(), clock_timestamp()
        FROM new_events e
        JOIN webhook_endpoints w ON w.user_id = e.user_id AND w.enabled
          AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types));
        PERFORM pg_notify('purse_events', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER events_fan_out AFTER INSERT ON events
        REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION events_fan_out();
      CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'events are never changed'; END $$;
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
    `)
  }

  async down() {
    this.schema.raw(`
      DROP TABLE webhook_attempts, webhook_deliveries, webhook_endpoints, events;
      DROP FUNCTION events_fan_out(); DROP FUNCTION refuse_event_change();
    `)
  }
}
