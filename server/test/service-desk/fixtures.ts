import { randomUUID } from 'node:crypto';
import type { Courtyard } from '../../src/app.js';
import { systemContext } from '../../src/core/http/context.js';
import { makeRoom } from '../people/fixtures.js';
import { makeCommunity, makeUser } from '../harness.js';

export { makeRoom };

const at = '2026-03-01T00:00:00.000Z';

/** A portal account living in a room (person + open occupancy written straight into the registry tables). */
export async function makeResident(c: Courtyard, username: string, communityId: string, roomId: string): Promise<string> {
  const userId = await makeUser(c, { username, kind: 'owner', role: 'resident', communityId });
  const personId = randomUUID();
  const db = c.database.db;
  await db.insertInto('persons').values({ id: personId, community_id: communityId, kind: 'individual', name: username, gender: 'unknown', phone_enc: null, phone_idx: null, id_type: null, id_number_enc: null, id_number_idx: null, email: null, emergency_contact: null, emergency_phone_enc: null, notes: null, user_id: userId, created_at: at, updated_at: at }).execute();
  await db.insertInto('occupancies').values({ id: randomUUID(), community_id: communityId, person_id: personId, room_id: roomId, parking_space_id: null, relation: 'owner', primary_contact: 1, moved_in_on: '2025-01-01', moved_out_on: null, created_at: at, updated_at: at }).execute();
  return userId;
}

/** A community with the default categories and time limits. */
export async function deskCommunity(c: Courtyard, code: string): Promise<string> {
  const id = await makeCommunity(c, code);
  await c.database.db.transaction().execute((tx) => c.services.deskConfig.ensureDefaults(tx, systemContext('test'), id));
  return id;
}

export async function categoryId(c: Courtyard, communityId: string, type: 'repair_room' | 'repair_public', code: string): Promise<string> {
  const row = await c.database.db.selectFrom('service_categories').select('id').where('community_id', '=', communityId).where('type', '=', type).where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}
