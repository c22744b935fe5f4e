import type { EncryptedColumns } from '../../core/crypto/rotation.js';
import { peopleInit } from './migrations/202611250410_people_init.js';
import { peopleSearch } from './migrations/202611250440_people_search.js';
import { peopleSearchRoomCodes } from './migrations/202612030530_people_search_room_codes.js';
import { peopleImportIndexes } from './migrations/202612040900_people_import_indexes.js';
export const peopleMigrations = [peopleInit, peopleSearch, peopleSearchRoomCodes, peopleImportIndexes];
export { createPeopleService, CHECKLIST_ITEMS, type PeopleService, type PeopleDeps } from './people.service.js';
export { peopleRoutes } from './people.routes.js';
export * as checks from './checks.js';
export { normalisePhone, checkResidentId, normaliseDocumentNumber, normalisePlate, residentIdCheckChar, RESIDENT_ID_MESSAGES, type ResidentIdProblem } from './checks.js';
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const peopleEncryptedColumns: EncryptedColumns[] = [{ table: 'persons', key: 'id', columns: ['phone_enc', 'id_number_enc', 'emergency_phone_enc'] }];
export * as peopleImport from './people.import.js';
