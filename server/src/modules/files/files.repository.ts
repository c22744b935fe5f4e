import type { Selectable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { FileTable } from './files.tables.js';

export type FileRow = Selectable<FileTable>;

export const files = {
  insert: (db: Exec, row: FileRow) => db.insertInto('files').values(row).execute(),
  /** Deleted rows included: the service answers 404 for them. */
  byId: (db: Exec, id: string) => db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst(),
  /** Live files of one owner, newest first (ids are time-ordered), keyset after `beforeId`. */
  listByOwner: (db: Exec, ownerType: string, ownerId: string, beforeId: string | undefined, limit: number) => {
    let q = db.selectFrom('files').selectAll().where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).where('deleted_at', 'is', null);
    if (beforeId !== undefined) q = q.where('id', '<', beforeId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  },
  softDelete: (db: Exec, id: string, at: string) => db.updateTable('files').set({ deleted_at: at }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst(),
};
