import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * While a renovation is in progress its room is `renovating`; on completion the room returns to
 * the state it had. That state is kept on the renovation (occupancy changes during the works
 * update it instead of the room, see `setRoomState`).
 */
export const propertiesRenovationRoomState: ModuleMigration = {
  name: '202611250430_properties_renovation_room_state',
  async up(db, c) {
    await db.schema.alterTable('renovations').addColumn('room_state_before', c.text).execute();
    await db.schema.createIndex('renovations_room_state').on('renovations').columns(['room_id', 'state']).execute();
  },
};
