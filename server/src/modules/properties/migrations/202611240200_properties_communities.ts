import type { ModuleMigration } from '../../../core/db/migrator.js';

export const propertiesCommunities: ModuleMigration = {
  name: '202611240200_properties_communities',
  async up(db, c) {
    await db.schema
      .createTable('communities')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('code', c.text, (col) => col.notNull().unique())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('address', c.text, (col) => col.notNull())
      .addColumn('type', c.text, (col) => col.notNull())
      .addColumn('phone', c.text)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
  },
};
