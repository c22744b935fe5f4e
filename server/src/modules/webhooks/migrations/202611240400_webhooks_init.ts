import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

export const webhooksInit: ModuleMigration = {
  name: '202611240400_webhooks_init',
  async up(db, c) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('url', c.text, (col) => col.notNull())
      .addColumn('secret_enc', c.text, (col) => col.notNull())
      .addColumn('event_types_json', c.text, (col) => col.notNull())
      .addColumn('active', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addColumn('disabled_at', c.instant)
      .execute();

    // event_id has no foreign key: outbox events are purged after 90 days, deliveries stay.
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('endpoint_id', c.id, (col) => col.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      .addColumn('event_id', c.id, (col) => col.notNull())
      .addColumn('event_type', c.text, (col) => col.notNull())
      .addColumn('attempt_count', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('last_status_code', c.int)
      .addColumn('last_error', c.text)
      .addColumn('last_response_excerpt', c.text)
      .addColumn('next_attempt_at', c.instant)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('delivered_at', c.instant)
      // Same endpoint as the delivery it replays, so the endpoint's cascade removes both together.
      .addColumn('replay_of', c.id)
      .execute();
    await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
    // One original delivery per (endpoint, event): the fan-out handler may run twice, replays may not
    // be limited. A partial unique index works the same on SQLite and PostgreSQL.
    await sql`create unique index webhook_deliveries_original on webhook_deliveries (endpoint_id, event_id) where replay_of is null`.execute(db);

    await db.schema
      .createTable('webhook_delivery_attempts')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('delivery_id', c.id, (col) => col.notNull().references('webhook_deliveries.id').onDelete('cascade'))
      .addColumn('attempt', c.int, (col) => col.notNull())
      .addColumn('status_code', c.int)
      .addColumn('error', c.text)
      .addColumn('response_excerpt', c.text)
      .addColumn('duration_ms', c.int, (col) => col.notNull())
      .addColumn('started_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('webhook_delivery_attempts_delivery').on('webhook_delivery_attempts').columns(['delivery_id', 'attempt']).execute();
  },
};
