import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Every person hit of the search box shows the person's current room codes, read for up to 20
 * persons at once (`registry.currentRoomCodes`). The index on (person_id, moved_out_on) found the
 * current occupancies but then read each occupancy row only for its room; with room_id in the
 * index those rows are not read at all. It replaces the narrower index, which it covers for
 * every other query (a person's occupancies, current or not).
 */
export const peopleSearchRoomCodes: ModuleMigration = {
  name: '202612030530_people_search_room_codes',
  async up(db) {
    await db.schema.dropIndex('occupancies_person').execute();
    await db.schema.createIndex('occupancies_person').on('occupancies').columns(['person_id', 'moved_out_on', 'room_id']).execute();
  },
};
