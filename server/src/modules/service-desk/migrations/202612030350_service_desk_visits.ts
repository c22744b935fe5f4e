import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Return visits (回访, PRODUCT §3): every call attempt is a row. A request counts as visited once
 * an attempt reached the caller (satisfied or dissatisfied): at most one such row per request
 * (partial unique index); unreachable attempts may repeat.
 */
export const serviceDeskVisits: ModuleMigration = {
  name: '202612030350_service_desk_visits',
  async up(db, c) {
    await db.schema
      .createTable('return_visits')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('request_id', c.id, (col) => col.notNull().references('service_requests.id'))
      .addColumn('outcome', c.text, (col) => col.notNull())
      .addColumn('notes', c.text)
      .addColumn('complaint_request_id', c.id, (col) => col.references('service_requests.id'))
      .addColumn('visited_by', c.id)
      .addColumn('visited_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('return_visits_request').on('return_visits').columns(['request_id', 'outcome']).execute();
    await db.schema.createIndex('return_visits_community').on('return_visits').columns(['community_id', 'id']).execute();
    await db.schema.createIndex('return_visits_reached').on('return_visits').column('request_id').unique().where(sql.ref('outcome'), '<>', 'unreachable').execute();
  },
};
