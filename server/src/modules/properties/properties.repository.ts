import type { Selectable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { CommunityTable } from './properties.tables.js';

export type CommunityRow = Selectable<CommunityTable>;

export const communities = {
  /** `ids` null = every community (the caller's scope is unrestricted). */
  list: (db: Exec, ids: string[] | null) => {
    let q = db.selectFrom('communities').selectAll();
    if (ids !== null) {
      if (ids.length === 0) return Promise.resolve([]);
      q = q.where('id', 'in', ids);
    }
    return q.orderBy('code').execute();
  },
  byId: (db: Exec, id: string) => db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, code: string) => db.selectFrom('communities').selectAll().where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: CommunityRow) => db.insertInto('communities').values(row).execute(),
};
