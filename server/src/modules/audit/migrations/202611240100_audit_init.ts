import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

export const auditInit: ModuleMigration = {
  name: '202611240100_audit_init',
  async up(db, c) {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('seq', sql`bigint`, (col) => col.notNull().unique())
      .addColumn('occurred_at', c.instant, (col) => col.notNull())
      .addColumn('actor_id', c.text)
      .addColumn('actor_name', c.text)
      .addColumn('ip', c.text)
      .addColumn('user_agent', c.text)
      .addColumn('action', c.text, (col) => col.notNull())
      .addColumn('entity_type', c.text)
      .addColumn('entity_id', c.text)
      .addColumn('community_id', c.id)
      .addColumn('result', c.text, (col) => col.notNull())
      .addColumn('before_json', c.text)
      .addColumn('after_json', c.text)
      .addColumn('request_id', c.text)
      .addColumn('hash', c.text, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('audit_log_occurred').on('audit_log').columns(['occurred_at', 'seq']).execute();
    await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_id', 'seq']).execute();
    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'seq']).execute();
    await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();

    await db.schema
      .createTable('audit_chain')
      .addColumn('id', c.int, (col) => col.primaryKey())
      .addColumn('seq', sql`bigint`, (col) => col.notNull())
      .addColumn('hash', c.text, (col) => col.notNull())
      .addColumn('mac', c.text, (col) => col.notNull())
      .addColumn('anchor_seq', sql`bigint`, (col) => col.notNull())
      .addColumn('anchor_hash', c.text, (col) => col.notNull())
      .addColumn('anchor_mac', c.text, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('audit_purge_window')
      .addColumn('id', c.dialect === 'postgres' ? sql`integer generated always as identity` : c.int, (col) => col.primaryKey())
      .addColumn('max_seq', sql`bigint`, (col) => col.notNull())
      .execute();

    await c.appendOnly('audit_log', 'exists (select 1 from audit_purge_window w where old.seq <= w.max_seq)');
  },
};
