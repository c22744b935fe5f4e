import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * The board's filters (state, priority, type, category, team, technician, overdue) answered from
 * the open-requests index alone: before, each filter read every open row of the community from the
 * table to test it (a community with 2,000 open requests and a rare filter read all 2,000 rows).
 * Replaces the (community_id, id) partial index, of which it is an extension.
 */
export const serviceDeskBoardIndex: ModuleMigration = {
  name: '202612040100_service_desk_board_index',
  async up(db) {
    const OPEN = sql.raw<boolean>(`state not in ('rejected', 'closed', 'cancelled')`);
    await db.schema
      .createIndex('service_requests_open_board')
      .on('service_requests')
      .columns(['community_id', 'id', 'state', 'priority', 'type', 'category_id', 'team_id', 'technician_id', 'sla_due_at'])
      .where(OPEN)
      .execute();
    await db.schema.dropIndex('service_requests_open').execute();
  },
};
