import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoveChecklist, MyHome, Occupancy, Person, Vehicle } from '@courtyard/contracts';
import { makeCommunity, makeUser, startCourtyard, type TestCourtyard, type Client } from '../harness.js';
import { code, fields, makeRoom, makeSpace, signedIn } from './fixtures.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let manager: Client;
let serviceA: Client;

async function newPerson(communityId: string, name: string, extra: Record<string, unknown> = {}): Promise<Person> {
  const res = await manager.post('/api/persons', { communityId, kind: 'individual', name, ...extra });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<Person>();
}
async function moveIn(body: Record<string, unknown>, client = manager): Promise<Occupancy> {
  const res = await client.post('/api/occupancies', body);
  if (res.statusCode !== 201) throw new Error(`move in: ${res.statusCode} ${res.body}`);
  return res.json<Occupancy>();
}
const roomState = async (id: string) => (await c.database.db.selectFrom('rooms').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
const spaceState = async (id: string) => (await c.database.db.selectFrom('parking_spaces').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'OA');
  communityB = await makeCommunity(c, 'OB');
  await makeUser(c, { username: 'mgr', role: 'property_manager' });
  await makeUser(c, { username: 'svc_a', role: 'customer_service', communityId: communityA });
  manager = await signedIn(c, 'mgr');
  serviceA = await signedIn(c, 'svc_a');
});
afterAll(() => c.dispose());

describe('moving in and out', () => {
  it('an owner moving into a vacant room makes it occupied and the primary contact; family share it', async () => {
    const room = await makeRoom(c, communityA, '1-1-101');
    const owner = await newPerson(communityA, '业主甲');
    const child = await newPerson(communityA, '家属乙');
    const o1 = await moveIn({ personId: owner.id, roomId: room, relation: 'owner', movedInOn: '2024-01-10' });
    expect(o1).toMatchObject({ roomCode: '1-1-101', personName: '业主甲', primaryContact: true, movedOutOn: null });
    expect(await roomState(room)).toBe('occupied');
    const o2 = await moveIn({ personId: child.id, roomId: room, relation: 'family_member', movedInOn: '2024-01-10' });
    expect(o2.primaryContact).toBe(false);
    const twice = await manager.post('/api/occupancies', { personId: owner.id, roomId: room, relation: 'co_owner', movedInOn: '2024-02-01' });
    expect([twice.statusCode, code(twice)]).toEqual([409, 'people.already_occupying']);
  });

  it('a tenant makes the room rented; the last one out makes it vacant; the history keeps everyone', async () => {
    const room = await makeRoom(c, communityA, '1-1-102', 'vacant');
    const t1 = await newPerson(communityA, '租户一');
    const t2 = await newPerson(communityA, '租户二');
    const o1 = await moveIn({ personId: t1.id, roomId: room, relation: 'tenant', movedInOn: '2024-03-01' });
    expect(await roomState(room)).toBe('rented');
    const early = await manager.post(`/api/occupancies/${o1.id}/move-out`, { movedOutOn: '2024-02-28' });
    expect([early.statusCode, fields(early)]).toEqual([400, ['/body/movedOutOn']]);
    const out = await manager.post(`/api/occupancies/${o1.id}/move-out`, { movedOutOn: '2025-02-28' });
    expect(out.json<Occupancy>().movedOutOn).toBe('2025-02-28');
    expect(await roomState(room)).toBe('vacant');
    const again = await manager.post(`/api/occupancies/${o1.id}/move-out`, { movedOutOn: '2025-03-01' });
    expect([again.statusCode, code(again)]).toEqual([409, 'people.occupancy_ended']);
    await moveIn({ personId: t2.id, roomId: room, relation: 'tenant', movedInOn: '2025-03-01' });
    const history = (await manager.get(`/api/rooms/${room}/occupancies`)).json<{ items: Occupancy[] }>().items;
    expect(history.map((h) => [h.personName, h.movedOutOn])).toEqual([
      ['租户二', null],
      ['租户一', '2025-02-28'],
    ]);
    const ofPerson = (await manager.get(`/api/persons/${t1.id}/occupancies`)).json<{ items: Occupancy[] }>().items;
    expect(ofPerson.map((o) => o.roomId)).toEqual([room]);
  });

  it('keeps exactly one current primary contact per room', async () => {
    const room = await makeRoom(c, communityA, '1-1-103');
    const a = await moveIn({ personId: (await newPerson(communityA, '甲')).id, roomId: room, relation: 'owner', movedInOn: '2024-01-01' });
    const b = await moveIn({ personId: (await newPerson(communityA, '乙')).id, roomId: room, relation: 'co_owner', movedInOn: '2024-01-01', primaryContact: true });
    const primaries = async () => (await manager.get(`/api/rooms/${room}/occupancies`)).json<{ items: Occupancy[] }>().items.filter((o) => o.primaryContact && !o.movedOutOn).map((o) => o.id);
    expect(await primaries()).toEqual([b.id]);
    await manager.post(`/api/occupancies/${a.id}/primary-contact`);
    expect(await primaries()).toEqual([a.id]);
    // The primary contact moving out hands the role to someone still living there.
    await manager.post(`/api/occupancies/${a.id}/move-out`, { movedOutOn: '2025-01-01' });
    expect(await primaries()).toEqual([b.id]);
  });

  it('refuses a room of another community than the person, and a request naming both or neither target', async () => {
    const roomB = await makeRoom(c, communityB, '9-9-901');
    const p = await newPerson(communityA, '跨区');
    const res = await manager.post('/api/occupancies', { personId: p.id, roomId: roomB, relation: 'owner', movedInOn: '2024-01-01' });
    expect([res.statusCode, fields(res)]).toEqual([400, ['/body/roomId']]);
    const neither = await manager.post('/api/occupancies', { personId: p.id, relation: 'owner', movedInOn: '2024-01-01' });
    expect(neither.statusCode).toBe(400);
  });

  it('parking spaces follow their holders: occupied, then vacant', async () => {
    const space = await makeSpace(c, communityA, 'B1-001');
    const p = await newPerson(communityA, '车主');
    const o = await moveIn({ personId: p.id, parkingSpaceId: space, relation: 'owner', movedInOn: '2024-05-01' });
    expect(o).toMatchObject({ parkingSpaceNumber: 'B1-001', roomId: null });
    expect(await spaceState(space)).toBe('occupied');
    await manager.post(`/api/occupancies/${o.id}/move-out`, { movedOutOn: '2024-06-01' });
    expect(await spaceState(space)).toBe('vacant');
    expect((await manager.get(`/api/parking-spaces/${space}/occupancies`)).json<{ items: Occupancy[] }>().items).toHaveLength(1);
  });

  it('every move is audited with the room state change in the same transaction', async () => {
    const room = await makeRoom(c, communityA, '1-1-104');
    const o = await moveIn({ personId: (await newPerson(communityA, '审计')).id, roomId: room, relation: 'owner', movedInOn: '2024-01-01' });
    const actions = (await c.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_id', 'in', [o.id, room]).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['properties.room.state', 'people.occupancy.move_in']);
  });
});

describe('portal: my home', () => {
  it('shows current rooms with the household; a tenant who moved out no longer sees the room', async () => {
    const room = await makeRoom(c, communityA, '2-1-201');
    const oldUser = await makeUser(c, { username: 'tenant_old', kind: 'owner', role: 'resident', communityId: communityA });
    const newUser = await makeUser(c, { username: 'tenant_new', kind: 'owner', role: 'resident', communityId: communityA });
    const oldTenant = await newPerson(communityA, '老租户', { userId: oldUser, phone: '13011112222' });
    const newTenant = await newPerson(communityA, '新租户', { userId: newUser, phone: '13033334444' });
    const owner = await newPerson(communityA, '房东', { phone: '13055556666' });
    await moveIn({ personId: owner.id, roomId: room, relation: 'owner', movedInOn: '2020-01-01' });
    const o = await moveIn({ personId: oldTenant.id, roomId: room, relation: 'tenant', movedInOn: '2023-01-01' });
    const vehicle = await manager.post('/api/vehicles', { communityId: communityA, plate: '粤B·A1234', personId: oldTenant.id });
    expect(vehicle.statusCode).toBe(201);

    const before = (await (await signedIn(c, 'tenant_old')).get('/api/portal/home')).json<MyHome>();
    expect(before.rooms.map((r) => [r.code, r.relation, r.buildingArea])).toEqual([['2-1-201', 'tenant', '89.50']]);
    expect(before.rooms[0]?.household.map((h) => [h.name, h.phone])).toEqual([
      ['房东', '130****6666'],
      ['老租户', '130****2222'],
    ]);
    expect(before.vehicles).toEqual([{ plate: '粤BA1234', parkingSpaceNumber: null }]);

    await manager.post(`/api/occupancies/${o.id}/move-out`, { movedOutOn: '2025-06-30' });
    await moveIn({ personId: newTenant.id, roomId: room, relation: 'tenant', movedInOn: '2025-07-01' });
    const history = (await manager.get(`/api/rooms/${room}/occupancies`)).json<{ items: Occupancy[] }>().items.map((h) => h.personName);
    expect(history).toEqual(expect.arrayContaining(['老租户', '新租户', '房东']));
    const after = (await (await signedIn(c, 'tenant_old')).get('/api/portal/home')).json<MyHome>();
    expect(after.rooms).toEqual([]);
    const current = (await (await signedIn(c, 'tenant_new')).get('/api/portal/home')).json<MyHome>();
    expect(current.rooms[0]?.household.map((h) => h.name)).toEqual(['房东', '新租户']);
  });

  it('is for portal users only', async () => {
    const res = await serviceA.get('/api/portal/home');
    expect(res.statusCode).toBe(403);
  });
});

describe('vehicles', () => {
  it('normalises plates and keeps them unique in the organisation', async () => {
    const p = await newPerson(communityA, '车主甲');
    const res = await serviceA.post('/api/vehicles', { communityId: communityA, plate: '京a 88888', personId: p.id, brand: '比亚迪', color: '白' });
    expect(res.json<Vehicle>()).toMatchObject({ plate: '京A88888', personName: '车主甲', brand: '比亚迪' });
    const dup = await manager.post('/api/vehicles', { communityId: communityB, plate: '京A·88888' });
    expect([dup.statusCode, code(dup), fields(dup)]).toEqual([409, 'people.plate_taken', ['/body/plate']]);
    expect(fields(await serviceA.post('/api/vehicles', { communityId: communityA, plate: '!!' }))).toEqual(['/body/plate']);
  });

  it('the person and parking space must be of the vehicle’s community', async () => {
    const pB = await newPerson(communityB, '外区');
    const spaceB = await makeSpace(c, communityB, 'X-1');
    const res = await manager.post('/api/vehicles', { communityId: communityA, plate: '沪C12345', personId: pB.id });
    expect(fields(res)).toEqual(['/body/personId']);
    const res2 = await manager.post('/api/vehicles', { communityId: communityA, plate: '沪C12345', parkingSpaceId: spaceB });
    expect(fields(res2)).toEqual(['/body/parkingSpaceId']);
  });

  it('edits, lists by plate prefix with a cursor, and deletes', async () => {
    const created = (await serviceA.post('/api/vehicles', { communityId: communityA, plate: '浙A11111' })).json<Vehicle>();
    await serviceA.post('/api/vehicles', { communityId: communityA, plate: '浙A22222' });
    expect((await serviceA.patch(`/api/vehicles/${created.id}`, { color: '黑' })).json<Vehicle>().color).toBe('黑');
    const page1 = (await serviceA.get(`/api/vehicles?q=${encodeURIComponent('浙a')}&limit=1`)).json<{ items: Vehicle[]; nextCursor: string }>();
    const page2 = (await serviceA.get(`/api/vehicles?q=${encodeURIComponent('浙a')}&limit=1&cursor=${page1.nextCursor}`)).json<{ items: Vehicle[] }>();
    expect([...page1.items, ...page2.items].map((v) => v.plate)).toEqual(['浙A11111', '浙A22222']);
    expect((await serviceA.delete(`/api/vehicles/${created.id}`)).statusCode).toBe(200);
    expect((await serviceA.get('/api/vehicles?q=%E6%B5%99A1')).json<{ items: Vehicle[] }>().items).toEqual([]);
  });
});

describe('move checklists', () => {
  it('start with the default items, tick them with notes, complete only when all are done', async () => {
    const room = await makeRoom(c, communityA, '5-1-501');
    const p = await newPerson(communityA, '入伙人');
    const res = await serviceA.post('/api/move-checklists', { roomId: room, personId: p.id, kind: 'move_in' });
    const list = res.json<MoveChecklist>();
    expect(list.items.map((i) => i.key)).toEqual(expect.arrayContaining(['keys_handed_over', 'meter_readings', 'documents_signed', 'decoration_rules']));
    expect(list.items[0]?.label).toBe('钥匙已交付');
    const early = await serviceA.post(`/api/move-checklists/${list.id}/complete`);
    expect([early.statusCode, code(early)]).toEqual([409, 'people.checklist_incomplete']);
    const bad = await serviceA.patch(`/api/move-checklists/${list.id}`, { items: [{ key: 'nope', done: true }] });
    expect(fields(bad)).toEqual(['/body/items/0/key']);
    const ticked = await serviceA.patch(`/api/move-checklists/${list.id}`, { items: list.items.map((i) => ({ key: i.key, done: true, note: i.key === 'meter_readings' ? '水 123 电 456' : undefined })) });
    expect(ticked.json<MoveChecklist>().items.find((i) => i.key === 'meter_readings')?.note).toBe('水 123 电 456');
    const done = await serviceA.post(`/api/move-checklists/${list.id}/complete`);
    expect(done.json<MoveChecklist>()).toMatchObject({ state: 'completed' });
    expect(code(await serviceA.patch(`/api/move-checklists/${list.id}`, { items: [{ key: 'keys_handed_over', done: false }] }))).toBe('people.checklist_completed');
    c.clock.advance(60_000);
    const outList = (await serviceA.post('/api/move-checklists', { roomId: room, personId: p.id, kind: 'move_out' })).json<MoveChecklist>();
    expect(outList.items.map((i) => i.key)).toEqual(['keys_returned', 'final_meter_readings', 'bills_settled', 'access_cards_cancelled']);
    expect((await serviceA.get(`/api/move-checklists?roomId=${room}`)).json<{ items: MoveChecklist[] }>().items.map((l) => l.kind)).toEqual(['move_out', 'move_in']);
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', list.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['people.checklist.create', 'people.checklist.update', 'people.checklist.complete']);
  });
});

describe('data scope', () => {
  it('a customer-service user of A gets 403 on B’s occupancy, vehicle and checklist, and sees none of B in lists', async () => {
    const room = await makeRoom(c, communityB, '7-1-701');
    const space = await makeSpace(c, communityB, 'S-7');
    const p = await newPerson(communityB, '乙区住户');
    const o = await moveIn({ personId: p.id, roomId: room, relation: 'owner', movedInOn: '2024-01-01' });
    const v = (await manager.post('/api/vehicles', { communityId: communityB, plate: '苏E99999', personId: p.id })).json<Vehicle>();
    const list = (await manager.post('/api/move-checklists', { roomId: room, personId: p.id, kind: 'move_in' })).json<MoveChecklist>();
    for (const [method, url, body] of [
      ['GET', `/api/rooms/${room}/occupancies`, undefined],
      ['GET', `/api/parking-spaces/${space}/occupancies`, undefined],
      ['POST', '/api/occupancies', { personId: p.id, roomId: room, relation: 'tenant', movedInOn: '2024-01-01' }],
      ['POST', `/api/occupancies/${o.id}/move-out`, { movedOutOn: '2025-01-01' }],
      ['POST', `/api/occupancies/${o.id}/primary-contact`, {}],
      ['PATCH', `/api/vehicles/${v.id}`, { color: '红' }],
      ['DELETE', `/api/vehicles/${v.id}`, undefined],
      ['POST', '/api/vehicles', { communityId: communityB, plate: '苏E88888' }],
      ['GET', `/api/move-checklists?roomId=${room}`, undefined],
      ['POST', '/api/move-checklists', { roomId: room, personId: p.id, kind: 'move_out' }],
      ['PATCH', `/api/move-checklists/${list.id}`, { items: [{ key: 'keys_handed_over', done: true }] }],
      ['POST', `/api/move-checklists/${list.id}/complete`, {}],
    ] as const) {
      const res = await serviceA.request(method, url, body);
      expect([method, url, res.statusCode, code(res)]).toEqual([method, url, 403, 'auth.out_of_scope']);
    }
    expect((await serviceA.get('/api/vehicles?limit=200')).json<{ items: Vehicle[] }>().items.some((x) => x.communityId === communityB)).toBe(false);
    expect((await serviceA.get(`/api/vehicles?communityId=${communityB}`)).json()).toEqual({ items: [], nextCursor: null });
    expect((await serviceA.get(`/api/search?q=${encodeURIComponent('苏E99999')}`)).json()).toEqual({ items: [] });
    expect((await manager.get(`/api/search?q=${encodeURIComponent('苏e 99999')}`)).json<{ items: { id: string }[] }>().items.map((h) => h.id)).toEqual([v.id]);
  });
});
