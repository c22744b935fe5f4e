import type { ModuleMigration } from '../../../core/db/migrator.js';

export const settingsInit: ModuleMigration = {
  name: '202611250100_settings_init',
  async up(db, c) {
    await db.schema
      .createTable('settings')
      .addColumn('key', c.text, (col) => col.notNull())
      .addColumn('scope', c.text, (col) => col.notNull())
      .addColumn('value_json', c.text, (col) => col.notNull())
      .addColumn('secrets_enc', c.text)
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addColumn('updated_by', c.text)
      .addPrimaryKeyConstraint('settings_pk', ['key', 'scope'])
      .execute();
  },
};
