import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Building, ParkingSpaceRow, Renovation, Room, Tag } from '@courtyard/contracts';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { estate, ok, parking, problem, signedIn } from './fixtures.js';

/**
 * Acceptance: a customer-service user scoped to community A cannot list, search or open anything
 * of community B — 403 `auth.out_of_scope` on direct access, absent from every list.
 */
let c: TestCourtyard;
let desk: Client;
let deskManager: Client;
let a: string;
let b: string;
const B = {} as { building: Building; unitId: string; room: Room; lotId: string; space: ParkingSpaceRow; renovation: Renovation; tag: Tag };
const A = {} as { room: Room; space: ParkingSpaceRow; renovation: Renovation };

beforeAll(async () => {
  c = await startCourtyard();
  a = await makeCommunity(c, 'SA');
  b = await makeCommunity(c, 'SB');
  await makeUser(c, { username: 'manager', role: 'property_manager' });
  await makeUser(c, { username: 'desk_a', role: 'customer_service', communityId: a });
  await makeUser(c, { username: 'manager_a', role: 'property_manager', communityId: a });
  const manager = await signedIn(c, 'manager');
  desk = await signedIn(c, 'desk_a');
  deskManager = await signedIn(c, 'manager_a');
  const application = (roomId: string) => ({ roomId, contractor: 'x', contractorPhone: '13800001111', description: 'y', startsOn: '2026-04-01', endsOn: '2026-04-30', depositCents: 100 });

  A.room = (await estate(manager, a, '1', '1', ['101'])).rooms[0]!;
  A.space = (await parking(manager, a, 'P', ['001'])).spaces[0]!;
  A.renovation = await ok<Renovation>(manager.post('/api/renovations', application(A.room.id)));

  const eb = await estate(manager, b, '1', '1', ['101']);
  Object.assign(B, { building: eb.building, unitId: eb.unit.id, room: eb.rooms[0]! });
  const pb = await parking(manager, b, 'P', ['001']);
  Object.assign(B, { lotId: pb.lot.id, space: pb.spaces[0]! });
  B.renovation = await ok<Renovation>(manager.post('/api/renovations', application(B.room.id)));
  B.tag = await ok<Tag>(manager.post('/api/tags', { communityId: b, name: 'B 的标签' }));
});
afterAll(() => c.dispose());

const outOfScope = async (res: ReturnType<Client['get']>) => expect(await problem(res)).toMatchObject({ status: 403, code: 'auth.out_of_scope' });

describe('a customer-service user of community A', () => {
  it('gets 403 on B itself and on B’s tree', async () => {
    await outOfScope(desk.get(`/api/communities/${b}`));
    await outOfScope(desk.get(`/api/communities/${b}/tree`));
    expect((await ok<{ items: { id: string }[] }>(desk.get('/api/communities'))).items.map((x) => x.id)).toEqual([a]);
  });

  it('gets 403 on B’s buildings and units lists', async () => {
    await outOfScope(desk.get(`/api/buildings?communityId=${b}`));
    await outOfScope(desk.get(`/api/units?buildingId=${B.building.id}`));
  });

  it('gets 403 on B’s room and never sees B’s rooms in lists or code search', async () => {
    await outOfScope(desk.get(`/api/rooms/${B.room.id}`));
    await outOfScope(desk.get(`/api/rooms?communityId=${b}`));
    expect((await ok<{ items: Room[] }>(desk.get('/api/rooms'))).items.map((r) => r.id)).toEqual([A.room.id]);
    expect((await ok<{ items: Room[] }>(desk.get('/api/rooms?q=1-1-101'))).items.map((r) => r.id)).toEqual([A.room.id]);
    expect((await ok<{ items: Room[] }>(desk.get(`/api/rooms?buildingId=${B.building.id}`))).items).toEqual([]);
    expect((await ok<{ items: Room[] }>(desk.get(`/api/rooms?unitId=${B.unitId}`))).items).toEqual([]);
  });

  it('gets 403 on B’s parking lots and never sees B’s spaces', async () => {
    await outOfScope(desk.get(`/api/parking-lots?communityId=${b}`));
    await outOfScope(desk.get(`/api/parking-spaces?communityId=${b}`));
    expect((await ok<{ items: ParkingSpaceRow[] }>(desk.get('/api/parking-spaces'))).items.map((s) => s.id)).toEqual([A.space.id]);
    expect((await ok<{ items: ParkingSpaceRow[] }>(desk.get(`/api/parking-spaces?parkingLotId=${B.lotId}`))).items).toEqual([]);
  });

  it('gets 403 on B’s renovation, cannot act on it or file one for B’s room, and never sees B’s in lists', async () => {
    await outOfScope(desk.get(`/api/renovations/${B.renovation.id}`));
    await outOfScope(desk.post(`/api/renovations/${B.renovation.id}/approve`, {}));
    await outOfScope(desk.post(`/api/renovations/${B.renovation.id}/deposit`, { state: 'collected' }));
    await outOfScope(desk.get(`/api/renovations?communityId=${b}`));
    await outOfScope(desk.post('/api/renovations', { roomId: B.room.id, contractor: 'x', description: 'y', startsOn: '2026-04-01', endsOn: '2026-04-30', depositCents: 0 }));
    expect((await ok<{ items: Renovation[] }>(desk.get('/api/renovations'))).items.map((r) => r.id)).toEqual([A.renovation.id]);
    expect((await ok<{ items: Renovation[] }>(desk.get(`/api/renovations?roomId=${B.room.id}`))).items).toEqual([]);
  });

  it('never sees B’s free tags and cannot use or delete them', async () => {
    await outOfScope(desk.get(`/api/tags?communityId=${b}`));
    expect((await ok<{ items: Tag[] }>(desk.get('/api/tags'))).items.map((t) => t.id)).not.toContain(B.tag.id);
    await outOfScope(desk.post(`/api/tags/${B.tag.id}/apply`, { entityType: 'room', entityIds: [B.room.id] }));
    await outOfScope(desk.delete(`/api/tags/${B.tag.id}`));
  });
});

describe('a property manager of community A', () => {
  it('cannot change anything of B', async () => {
    await outOfScope(deskManager.patch(`/api/communities/${b}`, { name: 'x' }));
    await outOfScope(deskManager.patch(`/api/buildings/${B.building.id}`, { name: 'x' }));
    await outOfScope(deskManager.patch(`/api/units/${B.unitId}`, { name: 'x' }));
    await outOfScope(deskManager.patch(`/api/rooms/${B.room.id}`, { floor: 3 }));
    await outOfScope(deskManager.patch(`/api/parking-lots/${B.lotId}`, { name: 'x' }));
    await outOfScope(deskManager.patch(`/api/parking-spaces/${B.space.id}`, { tenure: 'rented' }));
    await outOfScope(deskManager.post('/api/buildings', { communityId: b, code: '9', name: 'x' }));
    await outOfScope(deskManager.post('/api/units', { buildingId: B.building.id, code: '9', name: 'x' }));
    await outOfScope(deskManager.post('/api/rooms', { unitId: B.unitId, number: '909', floor: 9, buildingArea: '50', use: 'residence' }));
    await outOfScope(deskManager.post('/api/parking-spaces', { parkingLotId: B.lotId, number: '909', tenure: 'owned' }));
    await outOfScope(deskManager.delete(`/api/buildings/${B.building.id}`));
    expect((await problem(deskManager.post('/api/communities', { code: 'NEW', name: 'x', address: 'x', type: 'residential' }))).status).toBe(403);
  });

  it('and a customer-service user cannot edit the registry at all', async () => {
    expect(await problem(desk.patch(`/api/rooms/${A.room.id}`, { floor: 3 }))).toMatchObject({ status: 403, code: 'auth.forbidden' });
  });
});
