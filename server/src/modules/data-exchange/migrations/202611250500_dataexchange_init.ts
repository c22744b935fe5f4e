import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Import batches (导入批次): one uploaded workbook, its validation result and its commit. The file
 * itself is a files-module record owned by the batch (owner type `import_batch`).
 */
export const dataExchangeInit: ModuleMigration = {
  name: '202611250500_dataexchange_init',
  async up(db, c) {
    await db.schema
      .createTable('import_batches')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('file_id', c.id)
      .addColumn('file_name', c.text, (col) => col.notNull())
      .addColumn('total_rows', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('error_count', c.int, (col) => col.notNull().defaultTo(0))
      // Every error found (capped, see MAX_STORED_ERRORS): the API shows the first 500, the
      // annotated report all of them.
      .addColumn('errors_json', c.text, (col) => col.notNull().defaultTo('[]'))
      .addColumn('created_count', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('unchanged_count', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('failure', c.text)
      .addColumn('job_id', c.id)
      .addColumn('created_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addColumn('committed_at', c.instant)
      .execute();
    await db.schema.createIndex('import_batches_community').on('import_batches').columns(['community_id', 'id']).execute();
  },
};
