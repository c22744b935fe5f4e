import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Indexes for the console search box and the persons list (name prefix within the caller's
 * communities, room code prefix). Prefix searches are range queries (`name >= q and name < q||U+FFFF`),
 * which need code-point order: SQLite compares text binary by default; PostgreSQL databases are
 * often created with a linguistic collation (zh_CN.UTF-8) whose order is not code-point order and
 * may ignore punctuation ("3-2-1502"), so there the queries compare `collate "C"` and these
 * indexes are built in the same collation. The rooms index is on the properties module's table but
 * serves only this module's search: properties never does prefix range scans on codes.
 */
export const peopleSearch: ModuleMigration = {
  name: '202611250440_people_search',
  async up(db, c) {
    if (c.dialect === 'postgres') {
      await sql`create index persons_community_name on persons (community_id, name collate "C", id)`.execute(db);
      // Unrestricted callers read names in order across all communities (see searchByName).
      await sql`create index persons_name_c on persons (name collate "C", id)`.execute(db);
      await sql`create index rooms_community_code_c on rooms (community_id, code collate "C")`.execute(db);
      await sql`create index vehicles_plate_c on vehicles (plate collate "C")`.execute(db);
    } else {
      await db.schema.createIndex('persons_community_name').on('persons').columns(['community_id', 'name', 'id']).execute();
    }
    // Vehicles of a parking space (space detail, move-out of a space).
    await db.schema.createIndex('vehicles_space').on('vehicles').column('parking_space_id').execute();
  },
};
