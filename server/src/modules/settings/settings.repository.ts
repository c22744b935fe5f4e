import type { Selectable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { SettingTable } from './settings.tables.js';

export type SettingRow = Selectable<SettingTable>;
export const ORG_SCOPE = 'org';

export const settings = {
  /** The organisation's row and, when asked, one community's override: one query. */
  rows: (db: Exec, key: string, communityId: string | null) =>
    db
      .selectFrom('settings')
      .selectAll()
      .where('key', '=', key)
      .where('scope', 'in', communityId ? [ORG_SCOPE, communityId] : [ORG_SCOPE])
      .execute(),
  upsert: (db: Exec, row: SettingRow) =>
    db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) => oc.columns(['key', 'scope']).doUpdateSet({ value_json: row.value_json, secrets_enc: row.secrets_enc, updated_at: row.updated_at, updated_by: row.updated_by }))
      .execute(),
  remove: (db: Exec, key: string, scope: string) => db.deleteFrom('settings').where('key', '=', key).where('scope', '=', scope).execute(),
};
