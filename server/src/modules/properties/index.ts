import { propertiesCommunities } from './migrations/202611240200_properties_communities.js';
import { propertiesRegistry } from './migrations/202611250400_properties_registry.js';
import { propertiesRenovationRoomState } from './migrations/202611250430_properties_renovation_room_state.js';
import { propertiesRoomSortKey } from './migrations/202612030500_properties_room_sort_key.js';
export { createPropertiesService, type PropertiesService, type NewCommunity, type RoomRef, type ParkingSpaceRef } from './properties.service.js';
export type { PropertiesDeps } from './properties.deps.js';
export { SYSTEM_TAGS, type SystemTagCode, type Taggable } from './tags.service.js';
export type { RenovationAction } from './renovations.service.js';
export type { RoomState, RoomUse, ParkingSpaceState, TaggedEntity } from './properties.tables.js';
export { parseArea, areaDm2, areaText } from './area.js';
export { roomSortKey } from './room-order.js';
export { propertiesRoutes } from './properties.routes.js';
export const propertiesMigrations = [propertiesCommunities, propertiesRegistry, propertiesRenovationRoomState, propertiesRoomSortKey];
export * as propertiesImport from './properties.import.js';
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const propertiesEncryptedColumns = [{ table: 'renovations', key: 'id', columns: ['contractor_phone_enc'] }];
