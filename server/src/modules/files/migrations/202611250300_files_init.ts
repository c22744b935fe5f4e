import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/** One attachments table for every module: a file belongs to (owner_type, owner_id). */
export const filesInit: ModuleMigration = {
  name: '202611250300_files_init',
  async up(db, c) {
    await db.schema
      .createTable('files')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id)
      .addColumn('owner_type', c.text, (col) => col.notNull())
      .addColumn('owner_id', c.id, (col) => col.notNull())
      .addColumn('category', c.text, (col) => col.notNull())
      .addColumn('original_name', c.text, (col) => col.notNull())
      .addColumn('content_type', c.text, (col) => col.notNull())
      .addColumn('size_bytes', sql`bigint`, (col) => col.notNull())
      .addColumn('sha256', c.text, (col) => col.notNull())
      .addColumn('storage_key', c.text, (col) => col.notNull().unique())
      .addColumn('thumbnail_key', c.text)
      .addColumn('sensitive', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('uploaded_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('deleted_at', c.instant)
      .execute();
    await db.schema.createIndex('files_owner').on('files').columns(['owner_type', 'owner_id', 'id']).execute();
    await db.schema.createIndex('files_community').on('files').column('community_id').execute();
  },
};
