import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Building, Community, ParkingLot, ParkingSpaceRow, PropertyTree, Room, RoomDetail, Unit } from '@courtyard/contracts';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { roomSortKey } from '../../src/modules/properties/index.js';
import { estate, ok, parking, problem, signedIn } from './fixtures.js';

let c: TestCourtyard;
let manager: Client;
let communityId: string;
let managerId: string;

beforeAll(async () => {
  c = await startCourtyard();
  communityId = await makeCommunity(c, 'REG');
  managerId = await makeUser(c, { username: 'manager', role: 'property_manager' });
  await makeUser(c, { username: 'scoped_manager', role: 'property_manager', communityId });
  manager = await signedIn(c, 'manager');
});
afterAll(() => c.dispose());

describe('communities', () => {
  it('creates a community with every field, areas as exact decimal strings', async () => {
    const created = await ok<Community>(
      manager.post('/api/communities', { code: 'LYY', name: '绿荫苑', address: '滨江路 8 号', type: 'mixed', phone: '0571-88886666', totalArea: '120000.5', greenArea: '43210.05', managerUserId: managerId }),
    );
    expect(created).toMatchObject({ code: 'LYY', name: '绿荫苑', type: 'mixed', phone: '0571-88886666', totalArea: '120000.50', greenArea: '43210.05', managerUserId: managerId });
    expect(await ok<Community>(manager.get(`/api/communities/${created.id}`))).toEqual(created);
    const row = await c.database.db.selectFrom('communities').select(['total_area_dm2', 'green_area_dm2']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ total_area_dm2: 12000050, green_area_dm2: 4321005 });
  });

  it('refuses a duplicate community code with 409 naming the code field', async () => {
    expect(await problem(manager.post('/api/communities', { code: 'REG', name: '重复', address: 'x', type: 'residential' }))).toEqual({ status: 409, code: 'properties.code_taken', fields: ['/body/code'] });
  });

  it('refuses an unknown manager account and a malformed area, naming the field', async () => {
    expect(await problem(manager.post('/api/communities', { code: 'X1', name: 'x', address: 'x', type: 'residential', managerUserId: '01a20fba-bc25-7894-92fa-ed59faf81c69' }))).toMatchObject({
      status: 400,
      fields: ['/body/managerUserId'],
    });
    expect((await problem(manager.post('/api/communities', { code: 'X2', name: 'x', address: 'x', type: 'residential', totalArea: '12.345' }))).fields).toContain('/body/totalArea');
  });

  it('edits a community; a code change to a taken code is refused', async () => {
    const edited = await ok<Community>(manager.patch(`/api/communities/${communityId}`, { name: '登记小区', greenArea: '10', phone: null }));
    expect(edited).toMatchObject({ name: '登记小区', greenArea: '10.00', phone: null, code: 'REG' });
    expect(await problem(manager.patch(`/api/communities/${communityId}`, { code: 'LYY' }))).toMatchObject({ status: 409, fields: ['/body/code'] });
  });

  it('lets only an all-communities manager create communities, and a scoped one edit only its own', async () => {
    const scoped = await signedIn(c, 'scoped_manager');
    expect(await problem(scoped.post('/api/communities', { code: 'NOPE', name: 'x', address: 'x', type: 'residential' }))).toMatchObject({ status: 403 });
    const other = (await ok<{ items: Community[] }>(manager.get('/api/communities'))).items.find((x) => x.code === 'LYY')!;
    expect(await problem(scoped.patch(`/api/communities/${other.id}`, { name: 'hijack' }))).toMatchObject({ status: 403, code: 'auth.out_of_scope' });
    expect((await ok<Community>(scoped.patch(`/api/communities/${communityId}`, { address: '新地址 1 号' }))).address).toBe('新地址 1 号');
  });
});

describe('buildings, units and rooms', () => {
  it('derives the room code from building, unit and number, with exact areas', async () => {
    const { building, unit, rooms } = await estate(manager, communityId, '3', '2', ['1502']);
    expect(rooms[0]).toMatchObject({ code: '3-2-1502', number: '1502', floor: 15, buildingArea: '89.50', innerArea: '72.25', use: 'residence', state: 'vacant', buildingId: building.id, unitId: unit.id, communityId });
    expect((await ok<{ items: Building[] }>(manager.get(`/api/buildings?communityId=${communityId}`))).items.map((b) => b.code)).toContain('3');
    expect((await ok<{ items: Unit[] }>(manager.get(`/api/units?buildingId=${building.id}`))).items).toEqual([unit]);
  });

  it('answers uniqueness conflicts with 409 naming the field, never a 500', async () => {
    const { building, unit } = await estate(manager, communityId, '5', '1', ['101']);
    expect(await problem(manager.post('/api/buildings', { communityId, code: '5', name: 'again' }))).toEqual({ status: 409, code: 'properties.code_taken', fields: ['/body/code'] });
    expect(await problem(manager.post('/api/units', { buildingId: building.id, code: '1', name: 'again' }))).toEqual({ status: 409, code: 'properties.code_taken', fields: ['/body/code'] });
    expect(await problem(manager.post('/api/rooms', { unitId: unit.id, number: '101', floor: 1, buildingArea: '50', use: 'residence' }))).toEqual({ status: 409, code: 'properties.code_taken', fields: ['/body/number'] });
    const second = await ok<Unit>(manager.post('/api/units', { buildingId: building.id, code: '2', name: '2单元' }));
    expect(await problem(manager.patch(`/api/units/${second.id}`, { code: '1' }))).toMatchObject({ status: 409, fields: ['/body/code'] });
  });

  it('validates rooms field by field: inner area within building area, exact areas, codes without dashes', async () => {
    const { unit, rooms } = await estate(manager, communityId, '6', '1', ['201']);
    const base = { unitId: unit.id, number: '202', floor: 2, buildingArea: '80', use: 'residence' };
    expect(await problem(manager.post('/api/rooms', { ...base, innerArea: '80.01' }))).toMatchObject({ status: 400, fields: ['/body/innerArea'] });
    expect(await problem(manager.post('/api/rooms', { ...base, buildingArea: '80.123' }))).toMatchObject({ status: 400, fields: ['/body/buildingArea'] });
    expect(await problem(manager.post('/api/rooms', { ...base, buildingArea: '0' }))).toMatchObject({ status: 400, fields: ['/body/buildingArea'] });
    expect(await problem(manager.post('/api/rooms', { ...base, number: '2-02' }))).toMatchObject({ status: 400, fields: ['/body/number'] });
    expect(await problem(manager.post('/api/rooms', { ...base, state: 'renovating' }))).toMatchObject({ status: 400, fields: ['/body/state'] });
    expect(await problem(manager.post('/api/buildings', { communityId, code: '6 A', name: 'x' }))).toMatchObject({ status: 400, fields: ['/body/code'] });
    expect(await problem(manager.patch(`/api/rooms/${rooms[0]!.id}`, { buildingArea: '60' }))).toMatchObject({ status: 400, fields: ['/body/innerArea'] });
    const edited = await ok<Room>(manager.patch(`/api/rooms/${rooms[0]!.id}`, { innerArea: null, buildingArea: '60.1', use: 'office', deliveredOn: '2024-03-01', state: 'unsold' }));
    expect(edited).toMatchObject({ innerArea: null, buildingArea: '60.10', use: 'office', deliveredOn: '2024-03-01', state: 'unsold' });
  });

  it('keeps room codes in sync when a building code, unit code or room number changes', async () => {
    const { building, unit, rooms } = await estate(manager, communityId, '7', '1', ['101', '102', '201']);
    await ok<Building>(manager.patch(`/api/buildings/${building.id}`, { code: '7A' }));
    await ok<Unit>(manager.patch(`/api/units/${unit.id}`, { code: 'B' }));
    const renumbered = await ok<Room>(manager.patch(`/api/rooms/${rooms[2]!.id}`, { number: '202' }));
    expect(renumbered.code).toBe('7A-B-202');
    const page = await ok<{ items: Room[] }>(manager.get(`/api/rooms?unitId=${unit.id}`));
    expect(page.items.map((r) => r.code)).toEqual(['7A-B-101', '7A-B-102', '7A-B-202']);
    const audit = await c.services.audit.list(c.database.db, { limit: 20 });
    expect(audit.items.find((e) => e.action === 'properties.building.update')?.after).toMatchObject({ code: '7A', roomsRecoded: 3 });
  });

  it('lists rooms by code with keyset pages and filters (building, unit, use, state, code prefix)', async () => {
    const { building } = await estate(manager, communityId, '8', '1', ['101', '102', '103', '201', '202']);
    await estate(manager, communityId, '80', '1', ['101']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Room[]; nextCursor: string | null } = await ok(manager.get(`/api/rooms?buildingId=${building.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['8-1-101', '8-1-102', '8-1-103', '8-1-201', '8-1-202']);
    const prefixed = await ok<{ items: Room[] }>(manager.get(`/api/rooms?communityId=${communityId}&q=8-1-2`));
    expect(prefixed.items.map((r) => r.code)).toEqual(['8-1-201', '8-1-202']);
    const byBuildingPrefix = await ok<{ items: Room[] }>(manager.get(`/api/rooms?communityId=${communityId}&q=8-`));
    expect(byBuildingPrefix.items).toHaveLength(5);
    await ok<Room>(manager.patch(`/api/rooms/${(await ok<{ items: Room[] }>(manager.get(`/api/rooms?q=8-1-103`))).items[0]!.id}`, { state: 'rented', use: 'shop' }));
    expect((await ok<{ items: Room[] }>(manager.get(`/api/rooms?buildingId=${building.id}&state=rented`))).items.map((r) => r.code)).toEqual(['8-1-103']);
    expect((await ok<{ items: Room[] }>(manager.get(`/api/rooms?buildingId=${building.id}&use=shop`))).items.map((r) => r.code)).toEqual(['8-1-103']);
    expect(await problem(manager.get('/api/rooms?cursor=WyJ4Iiwibm90LWEtdXVpZCJd'))).toMatchObject({ status: 400, fields: ['/querystring/cursor'] });
  });

  it('returns a room with its community, building and unit names and its tags', async () => {
    const { rooms } = await estate(manager, communityId, '9', '1', ['101']);
    const detail = await ok<RoomDetail>(manager.get(`/api/rooms/${rooms[0]!.id}`));
    expect(detail).toMatchObject({ ...rooms[0], communityName: '登记小区', buildingName: '9号楼', unitName: '1单元', tags: [] });
    expect((await manager.get('/api/rooms/01a20fba-bc25-7894-92fa-ed59faf81c69')).statusCode).toBe(404);
  });

  it('deletes only an empty unit or building', async () => {
    const { building, unit } = await estate(manager, communityId, '10', '1', ['101']);
    expect(await problem(manager.delete(`/api/buildings/${building.id}`))).toMatchObject({ status: 409, code: 'properties.not_empty' });
    expect(await problem(manager.delete(`/api/units/${unit.id}`))).toMatchObject({ status: 409, code: 'properties.not_empty' });
    const empty = await ok<Building>(manager.post('/api/buildings', { communityId, code: '11', name: '空楼' }));
    const emptyUnit = await ok<Unit>(manager.post('/api/units', { buildingId: empty.id, code: '1', name: '1单元' }));
    await ok(manager.delete(`/api/units/${emptyUnit.id}`));
    await ok(manager.delete(`/api/buildings/${empty.id}`));
    expect((await manager.get(`/api/units?buildingId=${empty.id}`)).statusCode).toBe(404);
  });

  it('audits every change in the same transaction', async () => {
    const { rooms } = await estate(manager, communityId, '12', '1', ['101']);
    const audit = await c.services.audit.list(c.database.db, { limit: 5 });
    expect(audit.items.find((e) => e.action === 'properties.room.create')).toMatchObject({ entityId: rooms[0]!.id, communityId });
  });
});

describe('the property tree', () => {
  it('returns buildings → units → rooms of a community in one answer', async () => {
    const tc = await makeCommunity(c, 'TREE');
    await estate(manager, tc, '2', '1', ['101', '102']);
    const { building } = await estate(manager, tc, '1', '1', ['201', '101']);
    await ok<Unit>(manager.post('/api/units', { buildingId: building.id, code: '2', name: '2单元' }));
    const tree = await ok<PropertyTree>(manager.get(`/api/communities/${tc}/tree`));
    expect(tree.communityId).toBe(tc);
    expect(tree.buildings.map((b) => [b.code, b.units.map((u) => [u.code, u.rooms.map((r) => r.code)])])).toEqual([
      ['1', [['1', ['1-1-101', '1-1-201']], ['2', []]]],
      ['2', [['1', ['2-1-101', '2-1-102']]]],
    ]);
    expect(tree.buildings[0]!.units[0]!.rooms[0]).toMatchObject({ number: '101', code: '1-1-101', floor: 1, state: 'vacant', use: 'residence' });
  });

  it('answers a few thousand rooms quickly', async () => {
    const big = await makeCommunity(c, 'BIG');
    const { unit } = await estate(manager, big, '1', '1', []);
    const at = c.clock.now().toISOString();
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: crypto.randomUUID(),
      community_id: big,
      building_id: unit.buildingId,
      unit_id: unit.id,
      number: String(1000 + i),
      code: `1-1-${1000 + i}`,
      sort_key: roomSortKey('1', '1', String(1000 + i)),
      floor: Math.floor(i / 10),
      building_area_dm2: 8950,
      inner_area_dm2: null,
      use: 'residence' as const,
      state: 'vacant' as const,
      delivered_on: null,
      created_at: at,
      updated_at: at,
    }));
    for (let i = 0; i < rows.length; i += 300) await c.database.db.insertInto('rooms').values(rows.slice(i, i + 300)).execute();
    const started = performance.now();
    const tree = await ok<PropertyTree>(manager.get(`/api/communities/${big}/tree`));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(tree.buildings[0]!.units[0]!.rooms).toHaveLength(3000);
  });
});

describe('parking', () => {
  it('creates lots and spaces; numbers unique within a lot, codes within the community', async () => {
    const { lot, spaces } = await parking(manager, communityId, 'B1', ['001', '002']);
    expect(spaces[0]).toMatchObject({ number: '001', tenure: 'owned', area: '12.50', state: 'vacant', lotName: 'B1车库', lotCode: 'B1', parkingLotId: lot.id });
    expect(await problem(manager.post('/api/parking-lots', { communityId, code: 'B1', name: 'x', kind: 'surface' }))).toMatchObject({ status: 409, fields: ['/body/code'] });
    expect(await problem(manager.post('/api/parking-spaces', { parkingLotId: lot.id, number: '001', tenure: 'rented' }))).toMatchObject({ status: 409, fields: ['/body/number'] });
    expect(await problem(manager.patch(`/api/parking-spaces/${spaces[1]!.id}`, { number: '001' }))).toMatchObject({ status: 409, fields: ['/body/number'] });
    const edited = await ok<ParkingSpaceRow>(manager.patch(`/api/parking-spaces/${spaces[1]!.id}`, { tenure: 'temporary', state: 'unavailable', area: null }));
    expect(edited).toMatchObject({ tenure: 'temporary', state: 'unavailable', area: null });
    const renamed = await ok<ParkingLot>(manager.patch(`/api/parking-lots/${lot.id}`, { name: '地下一层', kind: 'building' }));
    expect(renamed).toMatchObject({ name: '地下一层', kind: 'building', code: 'B1' });
    expect((await ok<{ items: ParkingLot[] }>(manager.get(`/api/parking-lots?communityId=${communityId}`))).items.map((l) => l.code)).toContain('B1');
  });

  it('lists spaces by lot and number with keyset pages and filters', async () => {
    const pc = await makeCommunity(c, 'PARK');
    await parking(manager, pc, 'B2', ['003', '001', '002']);
    const { lot } = await parking(manager, pc, 'A1', ['010', '011']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ParkingSpaceRow[]; nextCursor: string | null } = await ok(manager.get(`/api/parking-spaces?communityId=${pc}&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.items.map((s) => `${s.lotName}:${s.number}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['A1车库:010', 'A1车库:011', 'B2车库:001', 'B2车库:002', 'B2车库:003']);
    expect((await ok<{ items: ParkingSpaceRow[] }>(manager.get(`/api/parking-spaces?parkingLotId=${lot.id}&q=011`))).items.map((s) => s.number)).toEqual(['011']);
    expect((await ok<{ items: ParkingSpaceRow[] }>(manager.get(`/api/parking-spaces?communityId=${pc}&tenure=rented`))).items).toEqual([]);
  });
});
