import { randomUUID } from 'node:crypto';
import type { Courtyard } from '../../src/app.js';
import { residentIdCheckChar } from '../../src/modules/people/index.js';
import { roomSortKey } from '../../src/modules/properties/index.js';
import { Client, PASSWORD } from '../harness.js';

/**
 * Registry rows the people tests stand on, written straight into the properties tables (the
 * properties module's own tests cover creating them through its API).
 */
let seq = 0;
const id = (_c: Courtyard) => randomUUID();

export async function makeRoom(c: Courtyard, communityId: string, code: string, state: 'vacant' | 'unsold' = 'vacant'): Promise<string> {
  const [b, u, number] = code.split('-') as [string, string, string];
  const db = c.database.db;
  const at = '2026-03-01T00:00:00.000Z';
  let building = await db.selectFrom('buildings').select('id').where('community_id', '=', communityId).where('code', '=', b).executeTakeFirst();
  if (!building) {
    building = { id: id(c) };
    await db.insertInto('buildings').values({ id: building.id, community_id: communityId, code: b, name: `${b}栋`, floors: 30, created_at: at, updated_at: at }).execute();
  }
  let unit = await db.selectFrom('units').select('id').where('building_id', '=', building.id).where('code', '=', u).executeTakeFirst();
  if (!unit) {
    unit = { id: id(c) };
    await db.insertInto('units').values({ id: unit.id, community_id: communityId, building_id: building.id, code: u, name: `${u}单元`, created_at: at, updated_at: at }).execute();
  }
  const roomId = id(c);
  await db
    .insertInto('rooms')
    .values({ id: roomId, community_id: communityId, building_id: building.id, unit_id: unit.id, number, code, sort_key: roomSortKey(b, u, number), floor: Math.floor(Number(number) / 100) || 1, building_area_dm2: 8950, inner_area_dm2: 7200, use: 'residence', state, delivered_on: '2020-01-01', created_at: at, updated_at: at })
    .execute();
  return roomId;
}

export async function makeSpace(c: Courtyard, communityId: string, number: string): Promise<string> {
  const db = c.database.db;
  const at = '2026-03-01T00:00:00.000Z';
  let lot = await db.selectFrom('parking_lots').select('id').where('community_id', '=', communityId).where('code', '=', 'P1').executeTakeFirst();
  if (!lot) {
    lot = { id: id(c) };
    await db.insertInto('parking_lots').values({ id: lot.id, community_id: communityId, code: 'P1', name: '地下车库', kind: 'underground', created_at: at, updated_at: at }).execute();
  }
  const spaceId = id(c);
  await db.insertInto('parking_spaces').values({ id: spaceId, community_id: communityId, parking_lot_id: lot.id, number, tenure: 'owned', area_dm2: 1250, state: 'vacant', created_at: at, updated_at: at }).execute();
  return spaceId;
}

/** A valid resident ID with the given birth date (YYYYMMDD) and a serial, checksum computed. */
export function residentId(birth = '19900307', serial = seq++): string {
  const first17 = `110105${birth}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export async function signedIn(c: Courtyard, username: string): Promise<Client> {
  const client = new Client(c.app);
  const res = await client.signIn(username, PASSWORD);
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.body}`);
  return client;
}

export const code = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;
export const fields = (res: { json: <T>() => T }) => (res.json<{ errors?: { field: string }[] }>().errors ?? []).map((e) => e.field);
