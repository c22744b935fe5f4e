import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Fewer B-trees for every person written: an import of 100,000 people spent most of its commit
 * inserting into the nine B-trees of `persons`.
 * - Few persons have a portal account: the index from account to person now holds only those
 *   that do. Its one query (`user_id = ?`) implies `user_id is not null`, which both databases use
 *   to pick a partial index.
 * - `persons_id_number` (id_number_idx alone) duplicated the unique (community_id, id_number_idx)
 *   for every lookup that names communities; the search box of a caller who sees every community
 *   now names them too (`community_id in (select id from communities)`, people.repository.ts).
 */
export const peopleImportIndexes: ModuleMigration = {
  name: '202612040900_people_import_indexes',
  async up(db) {
    await db.schema.dropIndex('persons_user').execute();
    await sql`create index persons_user on persons (user_id) where user_id is not null`.execute(db);
    await db.schema.dropIndex('persons_id_number').execute();
  },
};
