import { expect } from 'vitest';
import type { Building, ParkingLot, ParkingSpaceRow, Room, Unit } from '@courtyard/contracts';
import { Client, type TestCourtyard } from '../harness.js';

export async function signedIn(c: TestCourtyard, username: string): Promise<Client> {
  const client = new Client(c.app);
  const res = await client.signIn(username);
  expect(res.statusCode, res.body).toBe(200);
  return client;
}

export async function ok<T>(promise: Promise<{ statusCode: number; body: string; json: <J>() => J }>): Promise<T> {
  const res = await promise;
  // 200, or 201 where another module answers a creation so
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json<T>();
}

/** A problem's code and the fields it names. */
export async function problem(promise: Promise<{ statusCode: number; json: <J>() => J }>) {
  const res = await promise;
  const body = res.json<{ code: string; errors?: { field: string }[] }>();
  return { status: res.statusCode, code: body.code, fields: (body.errors ?? []).map((e) => e.field) };
}

/** Builds a small estate through the API: building `b`, unit `u`, rooms with the given numbers. */
export async function estate(client: Client, communityId: string, b: string, u: string, numbers: string[]) {
  const building = await ok<Building>(client.post('/api/buildings', { communityId, code: b, name: `${b}号楼`, floors: 18 }));
  const unit = await ok<Unit>(client.post('/api/units', { buildingId: building.id, code: u, name: `${u}单元` }));
  const rooms: Room[] = [];
  for (const number of numbers) {
    rooms.push(await ok<Room>(client.post('/api/rooms', { unitId: unit.id, number, floor: Math.floor(Number(number) / 100) || 1, buildingArea: '89.50', innerArea: '72.25', use: 'residence' })));
  }
  return { building, unit, rooms };
}

export async function parking(client: Client, communityId: string, code: string, numbers: string[]) {
  const lot = await ok<ParkingLot>(client.post('/api/parking-lots', { communityId, code, name: `${code}车库`, kind: 'underground' }));
  const spaces: ParkingSpaceRow[] = [];
  for (const number of numbers) spaces.push(await ok<ParkingSpaceRow>(client.post('/api/parking-spaces', { parkingLotId: lot.id, number, tenure: 'owned', area: '12.5' })));
  return { lot, spaces };
}
