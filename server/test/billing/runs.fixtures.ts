import { expect } from 'vitest';
import { systemContext } from '../../src/core/http/context.js';
import { Client, makeCommunity, makeUser, type TestCourtyard } from '../harness.js';

export const sys = systemContext('test');

export interface RoomSpec {
  number: string;
  buildingArea?: string;
  innerArea?: string | null;
  state?: 'unsold' | 'vacant' | 'occupied';
  deliveredOn?: string | null;
}

/** A community with one building, one unit, the rooms asked for, and fee items (property, water, shared). */
export async function runsEstate(c: TestCourtyard, code: string, rooms: RoomSpec[]) {
  const communityId = await makeCommunity(c, code);
  const p = c.services.properties;
  const building = await p.createBuilding(sys, { communityId, code: '1', name: '1号楼', floors: 18 });
  const unit = await p.createUnit(sys, { buildingId: building.id, code: '1', name: '1单元' });
  const roomIds: string[] = [];
  for (const r of rooms) {
    roomIds.push(
      (
        await p.createRoom(sys, {
          unitId: unit.id,
          number: r.number,
          floor: 1,
          buildingArea: r.buildingArea ?? '100.00',
          innerArea: r.innerArea === undefined ? '80.00' : r.innerArea,
          use: 'residence',
          state: r.state ?? 'occupied',
          deliveredOn: r.deliveredOn === undefined ? '2020-01-01' : r.deliveredOn,
        })
      ).id,
    );
  }
  const item = (code: string, name: string, category: 'property' | 'water' | 'maintenance') => c.services.billing.fees.create(sys, { communityId, code, name, category, dueDays: 15 });
  const items = [await item('WYF', '物业费', 'property'), await item('SF', '水费', 'water'), await item('GT', '公摊电费', 'maintenance'), await item('GL', '垃圾费', 'property')];
  return {
    communityId,
    buildingId: building.id,
    unitId: unit.id,
    rooms: roomIds,
    fees: { property: items[0]!.id, water: items[1]!.id, shared: items[2]!.id, garbage: items[3]!.id },
  };
}

/** A signed-in client holding a built-in role (optionally scoped to one community). */
export async function signedIn(c: TestCourtyard, username: string, role: 'property_manager' | 'technician' | 'cashier' | 'system_admin', communityId: string | null = null): Promise<Client> {
  await makeUser(c, { username, role, communityId });
  const client = new Client(c.app);
  const res = await client.signIn(username);
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  return client;
}

/** The response's JSON, after checking its status (the body is shown when it differs). */
export async function ok<T>(res: Promise<{ statusCode: number; body: string; json: <X>() => X }>, status = 200): Promise<T> {
  const got = await res;
  expect(got.statusCode, got.body).toBe(status);
  return got.json<T>();
}

/** Runs due jobs until the queue is empty (a bill run's job, and what it queues). */
export async function runJobs(c: TestCourtyard): Promise<void> {
  while ((await c.services.jobs.runDue()) > 0) {
    /* until the queue is empty */
  }
}
