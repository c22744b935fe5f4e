import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';
import { roomSortKeySql } from '../room-order.js';

/**
 * Rooms list in natural order (room-order.ts): `rooms.sort_key`, filled for existing rooms in one
 * statement, and the indexes the keyset pages read.
 */
export const propertiesRoomSortKey: ModuleMigration = {
  name: '202612030500_properties_room_sort_key',
  async up(db, c) {
    await db.schema.alterTable('rooms').addColumn('sort_key', c.text).execute();
    const key = roomSortKeySql(c.dialect, sql<string>`(select b.code from buildings b where b.id = rooms.building_id)`, sql<string>`(select u.code from units u where u.id = rooms.unit_id)`, sql.ref<string>('rooms.number'));
    await sql`update rooms set sort_key = ${key}`.execute(db);
    await db.schema.createIndex('rooms_community_sort').on('rooms').columns(['community_id', 'sort_key', 'id']).execute();
    await db.schema.createIndex('rooms_sort').on('rooms').columns(['sort_key', 'id']).execute();
  },
};
