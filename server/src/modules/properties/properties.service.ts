import type {
  Building,
  Community,
  CreateBuildingBody,
  CreateCommunityBody,
  CreateParkingLotBody,
  CreateParkingSpaceBody,
  CreateRoomBody,
  CreateUnitBody,
  ParkingLot,
  ParkingSpace,
  ParkingSpaceListQuery,
  ParkingSpaceRow,
  PropertyTree,
  Room,
  RoomDetail,
  RoomListQuery,
  Unit,
  UpdateBuildingBody,
  UpdateCommunityBody,
  UpdateParkingLotBody,
  UpdateParkingSpaceBody,
  UpdateRoomBody,
  UpdateUnitBody,
} from '@courtyard/contracts';
import type { Exec, Tx } from '../../core/db/schema.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import * as repo from './properties.repository.js';
import { cursorId, cursorText, guardUnique, taken, type PropertiesDeps } from './properties.deps.js';
import type { ParkingSpaceState, RoomState, RoomUse } from './properties.tables.js';
import { areaDm2, areaText } from './area.js';
import { createTagsService, tagView, type TagsService } from './tags.service.js';
import { createRenovationsService, type RenovationsService } from './renovations.service.js';
import { roomSortKey } from './room-order.js';

export interface NewCommunity {
  code: string;
  name: string;
  address: string;
  type: Community['type'];
  phone?: string | null;
  totalArea?: string | null;
  greenArea?: string | null;
  managerUserId?: string | null;
}

type Page<T> = { items: T[]; nextCursor: string | null };

export interface PropertiesService extends TagsService, RenovationsService {
  listCommunities(ctx: RequestContext): Promise<Community[]>;
  getCommunity(ctx: RequestContext, id: string): Promise<Community>;
  /** In the caller's transaction (seed, tests, CLI); needs `properties.community.manage` over all communities. */
  createCommunity(tx: Tx, ctx: RequestContext, input: NewCommunity): Promise<string>;
  registerCommunity(ctx: RequestContext, body: CreateCommunityBody): Promise<Community>;
  updateCommunity(ctx: RequestContext, id: string, body: UpdateCommunityBody): Promise<Community>;
  communityIdByCode(code: string): Promise<string | undefined>;
  communityExists(exec: Exec, id: string): Promise<boolean>;
  tree(ctx: RequestContext, communityId: string): Promise<PropertyTree>;

  listBuildings(ctx: RequestContext, communityId: string): Promise<Building[]>;
  createBuilding(ctx: RequestContext, body: CreateBuildingBody): Promise<Building>;
  updateBuilding(ctx: RequestContext, id: string, body: UpdateBuildingBody): Promise<Building>;
  deleteBuilding(ctx: RequestContext, id: string): Promise<void>;
  listUnits(ctx: RequestContext, buildingId: string): Promise<Unit[]>;
  createUnit(ctx: RequestContext, body: CreateUnitBody): Promise<Unit>;
  updateUnit(ctx: RequestContext, id: string, body: UpdateUnitBody): Promise<Unit>;
  deleteUnit(ctx: RequestContext, id: string): Promise<void>;
  listRooms(ctx: RequestContext, query: RoomListQuery): Promise<Page<Room>>;
  getRoom(ctx: RequestContext, id: string): Promise<RoomDetail>;
  createRoom(ctx: RequestContext, body: CreateRoomBody): Promise<Room>;
  updateRoom(ctx: RequestContext, id: string, body: UpdateRoomBody): Promise<Room>;
  listParkingLots(ctx: RequestContext, communityId: string): Promise<ParkingLot[]>;
  createParkingLot(ctx: RequestContext, body: CreateParkingLotBody): Promise<ParkingLot>;
  updateParkingLot(ctx: RequestContext, id: string, body: UpdateParkingLotBody): Promise<ParkingLot>;
  listParkingSpaces(ctx: RequestContext, query: ParkingSpaceListQuery): Promise<Page<ParkingSpaceRow>>;
  createParkingSpace(ctx: RequestContext, body: CreateParkingSpaceBody): Promise<ParkingSpaceRow>;
  updateParkingSpace(ctx: RequestContext, id: string, body: UpdateParkingSpaceBody): Promise<ParkingSpaceRow>;

  /** For other modules (people, billing, service desk): a room's identity and community, no scope check. */
  roomRef(exec: Exec, id: string): Promise<RoomRef | undefined>;
  parkingSpaceRef(exec: Exec, id: string): Promise<ParkingSpaceRef | undefined>;
  /**
   * Room state follows occupancy (vacant → occupied on move-in); audited in the caller's
   * transaction. While the room is being renovated the new state is kept on the renovation and
   * applied when the works end (the room stays `renovating`).
   */
  setRoomState(tx: Tx, ctx: RequestContext, roomId: string, state: RoomState): Promise<void>;
  setParkingSpaceState(tx: Tx, ctx: RequestContext, id: string, state: ParkingSpaceState): Promise<void>;
}

export interface RoomRef {
  id: string;
  communityId: string;
  code: string;
  state: RoomState;
  use: RoomUse;
}
export interface ParkingSpaceRef {
  id: string;
  communityId: string;
  number: string;
  state: ParkingSpaceState;
}

const area = (dm2: number | null) => (dm2 === null ? null : areaText(dm2));
const areaIn = (text: string | null | undefined) => (text === null || text === undefined ? null : areaDm2(text));

const communityView = (r: repo.CommunityRow): Community => ({
  id: r.id,
  code: r.code,
  name: r.name,
  address: r.address,
  type: r.type,
  phone: r.phone,
  totalArea: area(r.total_area_dm2),
  greenArea: area(r.green_area_dm2),
  managerUserId: r.manager_user_id,
  createdAt: r.created_at,
});
const buildingView = (r: repo.BuildingRow): Building => ({ id: r.id, communityId: r.community_id, code: r.code, name: r.name, floors: r.floors, createdAt: r.created_at });
const unitView = (r: repo.UnitRow): Unit => ({ id: r.id, communityId: r.community_id, buildingId: r.building_id, code: r.code, name: r.name });
const roomView = (r: repo.RoomRow): Room => ({
  id: r.id,
  communityId: r.community_id,
  buildingId: r.building_id,
  unitId: r.unit_id,
  number: r.number,
  code: r.code,
  floor: r.floor,
  buildingArea: areaText(r.building_area_dm2),
  innerArea: area(r.inner_area_dm2),
  use: r.use,
  state: r.state,
  deliveredOn: r.delivered_on,
  createdAt: r.created_at,
});
const lotView = (r: repo.ParkingLotRow): ParkingLot => ({ id: r.id, communityId: r.community_id, code: r.code, name: r.name, kind: r.kind });
const spaceView = (r: repo.SpaceWithLot): ParkingSpaceRow => ({
  id: r.id,
  communityId: r.community_id,
  parkingLotId: r.parking_lot_id,
  number: r.number,
  tenure: r.tenure,
  area: area(r.area_dm2),
  state: r.state,
  lotCode: r.lot_code,
  lotName: r.lot_name,
});
const spaceOnly = (r: ParkingSpaceRow): ParkingSpace => ({ id: r.id, communityId: r.communityId, parkingLotId: r.parkingLotId, number: r.number, tenure: r.tenure, area: r.area, state: r.state });

const roomCode = (building: string, unit: string, number: string) => `${building}-${unit}-${number}`;

/** Inner area (套内面积) is part of the building area (建筑面积), never larger; a room has some area. */
function checkAreas(buildingDm2: number, innerDm2: number | null) {
  if (buildingDm2 <= 0) throw invalid('/body/buildingArea', 'must be greater than 0', '必须大于 0');
  if (innerDm2 !== null && innerDm2 > buildingDm2) throw invalid('/body/innerArea', 'must not exceed the building area', '不能大于建筑面积');
}

/**
 * The property registry: communities (the data-scope key) → buildings → units → rooms, parking
 * lots and spaces, tags, renovations. Every write runs in one transaction with its audit record.
 */
export function createPropertiesService(deps: PropertiesDeps): PropertiesService {
  const now = () => deps.clock.now().toISOString();
  const tags = createTagsService(deps);
  const renovations = createRenovationsService(deps, tags);
  const audit = (tx: Tx, ctx: RequestContext, action: string, entityType: string, entityId: string, communityId: string, before: unknown, after: unknown) =>
    deps.audit.record(tx, ctx, { action, entityType, entityId, communityId, ...(before === undefined ? {} : { before }), after });

  async function checkManager(exec: Exec, id: string | null | undefined) {
    if (id && deps.userExists && !(await deps.userExists(exec, id))) throw invalid('/body/managerUserId', 'unknown user', '用户不存在');
  }

  async function createCommunity(tx: Tx, ctx: RequestContext, input: NewCommunity) {
    assertCan(ctx, 'properties.community.manage');
    if (await repo.communities.byCode(tx, input.code)) throw taken('/body/code', 'a community with this code exists', '已有相同编号的小区');
    await checkManager(tx, input.managerUserId);
    const id = deps.ids();
    const at = now();
    const row = {
      id,
      code: input.code,
      name: input.name,
      address: input.address,
      type: input.type,
      phone: input.phone ?? null,
      total_area_dm2: areaIn(input.totalArea),
      green_area_dm2: areaIn(input.greenArea),
      manager_user_id: input.managerUserId ?? null,
      created_at: at,
      updated_at: at,
    };
    await guardUnique(repo.communities.insert(tx, row), '/body/code');
    await deps.audit.record(tx, ctx, { action: 'properties.community.create', entityType: 'community', entityId: id, communityId: id, after: communityView(row) });
    await deps.events.emit(tx, { type: 'properties.community.created', payload: { communityId: id, code: row.code, name: row.name, type: row.type }, communityId: id });
    return id;
  }

  async function loadRoom(exec: Exec, id: string) {
    const row = await repo.rooms.byId(exec, id);
    if (!row) throw notFound();
    return row;
  }

  return {
    ...tags,
    ...renovations,

    // ---- communities
    async listCommunities(ctx) {
      return (await repo.communities.list(deps.db, scopeOf(ctx, 'properties.community.read'))).map(communityView);
    },
    async getCommunity(ctx, id) {
      const row = await repo.communities.byId(deps.db, id);
      if (!row) throw notFound();
      // A manager of community A gets "out of scope" for B, never B's data.
      assertCan(ctx, 'properties.community.read', row.id);
      return communityView(row);
    },
    createCommunity,
    async registerCommunity(ctx, body) {
      assertCan(ctx, 'properties.community.manage');
      return deps.db.transaction().execute(async (tx) => {
        const id = await createCommunity(tx, ctx, body);
        return communityView((await repo.communities.byId(tx, id))!);
      });
    },
    async updateCommunity(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.communities.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.community.manage', id);
        if (body.code !== undefined && body.code !== before.code && (await repo.communities.byCode(tx, body.code))) throw taken('/body/code', 'a community with this code exists', '已有相同编号的小区');
        if (body.managerUserId !== undefined) await checkManager(tx, body.managerUserId);
        const patch = {
          ...(body.code !== undefined ? { code: body.code } : {}),
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.address !== undefined ? { address: body.address } : {}),
          ...(body.type !== undefined ? { type: body.type } : {}),
          ...(body.phone !== undefined ? { phone: body.phone } : {}),
          ...(body.totalArea !== undefined ? { total_area_dm2: areaIn(body.totalArea) } : {}),
          ...(body.greenArea !== undefined ? { green_area_dm2: areaIn(body.greenArea) } : {}),
          ...(body.managerUserId !== undefined ? { manager_user_id: body.managerUserId } : {}),
          updated_at: now(),
        };
        await guardUnique(repo.communities.update(tx, id, patch), '/body/code');
        const after = { ...before, ...patch };
        await audit(tx, ctx, 'properties.community.update', 'community', id, id, communityView(before), communityView(after));
        return communityView(after);
      });
    },
    async communityIdByCode(code) {
      return (await repo.communities.byCode(deps.db, code))?.id;
    },
    async communityExists(exec, id) {
      return (await repo.communities.byId(exec, id)) !== undefined;
    },
    async tree(ctx, communityId) {
      if (!(await repo.communities.byId(deps.db, communityId))) throw notFound();
      assertCan(ctx, 'properties.room.read', communityId);
      // Three set-based queries however many rooms, assembled in memory.
      const [buildingRows, unitRows, roomRows] = await repo.rooms.treeRows(deps.db, communityId);
      const roomsOf = new Map<string, PropertyTree['buildings'][number]['units'][number]['rooms']>();
      for (const r of roomRows) {
        let list = roomsOf.get(r.unit_id);
        if (!list) roomsOf.set(r.unit_id, (list = []));
        list.push({ id: r.id, number: r.number, code: r.code, floor: r.floor, state: r.state, use: r.use });
      }
      const unitsOf = new Map<string, PropertyTree['buildings'][number]['units']>();
      for (const u of unitRows) {
        let list = unitsOf.get(u.building_id);
        if (!list) unitsOf.set(u.building_id, (list = []));
        list.push({ id: u.id, code: u.code, name: u.name, rooms: roomsOf.get(u.id) ?? [] });
      }
      return { communityId, buildings: buildingRows.map((b) => ({ id: b.id, code: b.code, name: b.name, units: unitsOf.get(b.id) ?? [] })) };
    },

    // ---- buildings
    async listBuildings(ctx, communityId) {
      assertCan(ctx, 'properties.room.read', communityId);
      return (await repo.buildings.list(deps.db, communityId)).map(buildingView);
    },
    async createBuilding(ctx, body) {
      assertCan(ctx, 'properties.room.manage', body.communityId);
      return deps.db.transaction().execute(async (tx) => {
        if (!(await repo.communities.byId(tx, body.communityId))) throw invalid('/body/communityId', 'unknown community', '小区不存在');
        if (await repo.buildings.byCode(tx, body.communityId, body.code)) throw taken('/body/code', 'a building with this code exists in the community', '该小区已有相同楼号的楼栋');
        const at = now();
        const row = { id: deps.ids(), community_id: body.communityId, code: body.code, name: body.name, floors: body.floors ?? null, created_at: at, updated_at: at };
        await guardUnique(repo.buildings.insert(tx, row), '/body/code');
        await audit(tx, ctx, 'properties.building.create', 'building', row.id, row.community_id, undefined, buildingView(row));
        return buildingView(row);
      });
    },
    async updateBuilding(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.buildings.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.room.manage', before.community_id);
        const codeChanged = body.code !== undefined && body.code !== before.code;
        if (codeChanged && (await repo.buildings.byCode(tx, before.community_id, body.code!))) throw taken('/body/code', 'a building with this code exists in the community', '该小区已有相同楼号的楼栋');
        const at = now();
        const patch = { ...(body.code !== undefined ? { code: body.code } : {}), ...(body.name !== undefined ? { name: body.name } : {}), ...(body.floors !== undefined ? { floors: body.floors } : {}), updated_at: at };
        await guardUnique(repo.buildings.update(tx, id, patch), '/body/code');
        // Room codes embed the building code: rebuilt in one statement for the whole building.
        const recoded = codeChanged ? Number((await repo.rooms.syncCodes(tx, { buildingId: id }, at))[0]?.numUpdatedRows ?? 0) : 0;
        const after = { ...before, ...patch };
        await audit(tx, ctx, 'properties.building.update', 'building', id, before.community_id, buildingView(before), { ...buildingView(after), roomsRecoded: recoded });
        return buildingView(after);
      });
    },
    async deleteBuilding(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const before = await repo.buildings.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.room.manage', before.community_id);
        if (await repo.buildings.hasUnits(tx, id)) throw new AppError('properties.not_empty');
        await repo.buildings.remove(tx, id);
        await audit(tx, ctx, 'properties.building.delete', 'building', id, before.community_id, buildingView(before), null);
      });
    },

    // ---- units
    async listUnits(ctx, buildingId) {
      const building = await repo.buildings.byId(deps.db, buildingId);
      if (!building) throw notFound();
      assertCan(ctx, 'properties.room.read', building.community_id);
      return (await repo.units.list(deps.db, buildingId)).map(unitView);
    },
    async createUnit(ctx, body) {
      return deps.db.transaction().execute(async (tx) => {
        const building = await repo.buildings.byId(tx, body.buildingId);
        if (!building) throw invalid('/body/buildingId', 'unknown building', '楼栋不存在');
        assertCan(ctx, 'properties.room.manage', building.community_id);
        if (await repo.units.byCode(tx, building.id, body.code)) throw taken('/body/code', 'a unit with this code exists in the building', '该楼栋已有相同编号的单元');
        const at = now();
        const row = { id: deps.ids(), community_id: building.community_id, building_id: building.id, code: body.code, name: body.name, created_at: at, updated_at: at };
        await guardUnique(repo.units.insert(tx, row), '/body/code');
        await audit(tx, ctx, 'properties.unit.create', 'unit', row.id, row.community_id, undefined, unitView(row));
        return unitView(row);
      });
    },
    async updateUnit(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.units.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.room.manage', before.community_id);
        const codeChanged = body.code !== undefined && body.code !== before.code;
        if (codeChanged && (await repo.units.byCode(tx, before.building_id, body.code!))) throw taken('/body/code', 'a unit with this code exists in the building', '该楼栋已有相同编号的单元');
        const at = now();
        const patch = { ...(body.code !== undefined ? { code: body.code } : {}), ...(body.name !== undefined ? { name: body.name } : {}), updated_at: at };
        await guardUnique(repo.units.update(tx, id, patch), '/body/code');
        const recoded = codeChanged ? Number((await repo.rooms.syncCodes(tx, { unitId: id }, at))[0]?.numUpdatedRows ?? 0) : 0;
        const after = { ...before, ...patch };
        await audit(tx, ctx, 'properties.unit.update', 'unit', id, before.community_id, unitView(before), { ...unitView(after), roomsRecoded: recoded });
        return unitView(after);
      });
    },
    async deleteUnit(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const before = await repo.units.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.room.manage', before.community_id);
        if (await repo.units.hasRooms(tx, id)) throw new AppError('properties.not_empty');
        await repo.units.remove(tx, id);
        await audit(tx, ctx, 'properties.unit.delete', 'unit', id, before.community_id, unitView(before), null);
      });
    },

    // ---- rooms
    async listRooms(ctx, query) {
      let scope = scopeOf(ctx, 'properties.room.read');
      if (query.communityId) {
        assertCan(ctx, 'properties.room.read', query.communityId);
        scope = null;
      }
      if (scope !== null && scope.length === 0) return { items: [], nextCursor: null };
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 2);
      const rows = await repo.rooms.list(deps.db, scope, query, after ? [cursorText(after[0]), cursorId(after[1])] : undefined, limit);
      const page = pageOf(rows, limit, (r) => [r.sort_key, r.id]);
      return { items: page.items.map(roomView), nextCursor: page.nextCursor };
    },
    async getRoom(ctx, id) {
      const row = await repo.rooms.detail(deps.db, id);
      if (!row) throw notFound();
      assertCan(ctx, 'properties.room.read', row.community_id);
      const tagged = await tags.tagsOf(deps.db, 'room', [id]);
      return { ...roomView(row), communityName: row.community_name, buildingName: row.building_name, unitName: row.unit_name, tags: tagged.get(id) ?? [] };
    },
    async createRoom(ctx, body) {
      return deps.db.transaction().execute(async (tx) => {
        const unit = await repo.units.byId(tx, body.unitId);
        if (!unit) throw invalid('/body/unitId', 'unknown unit', '单元不存在');
        assertCan(ctx, 'properties.room.manage', unit.community_id);
        const building = (await repo.buildings.byId(tx, unit.building_id))!;
        if (body.state === 'renovating') throw invalid('/body/state', 'set by renovations only', '该状态只能由装修申请设置');
        const buildingDm2 = areaDm2(body.buildingArea);
        const innerDm2 = areaIn(body.innerArea);
        checkAreas(buildingDm2, innerDm2);
        const code = roomCode(building.code, unit.code, body.number);
        if (await repo.rooms.byNumber(tx, unit.id, body.number)) throw taken('/body/number', 'a room with this number exists in the unit', '该单元已有相同房号的房屋');
        if (await repo.rooms.byCode(tx, unit.community_id, code)) throw taken('/body/number', `room code ${code} is taken in the community`, `该小区已有房屋编号 ${code}`);
        const at = now();
        const row = {
          id: deps.ids(),
          community_id: unit.community_id,
          building_id: building.id,
          unit_id: unit.id,
          number: body.number,
          code,
          sort_key: roomSortKey(building.code, unit.code, body.number),
          floor: body.floor,
          building_area_dm2: buildingDm2,
          inner_area_dm2: innerDm2,
          use: body.use,
          state: body.state ?? 'vacant',
          delivered_on: body.deliveredOn ?? null,
          created_at: at,
          updated_at: at,
        };
        await guardUnique(repo.rooms.insert(tx, row), '/body/number');
        await audit(tx, ctx, 'properties.room.create', 'room', row.id, row.community_id, undefined, roomView(row));
        return roomView(row);
      });
    },
    async updateRoom(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await loadRoom(tx, id);
        assertCan(ctx, 'properties.room.manage', before.community_id);
        if (body.state !== undefined && body.state !== before.state) {
          if (body.state === 'renovating') throw invalid('/body/state', 'set by renovations only', '该状态只能由装修申请设置');
          if (before.state === 'renovating') throw new AppError('properties.room_renovating', [fieldError('/body/state', 'the room is being renovated', '房屋正在装修')]);
        }
        const buildingDm2 = body.buildingArea !== undefined ? areaDm2(body.buildingArea) : before.building_area_dm2;
        const innerDm2 = body.innerArea !== undefined ? areaIn(body.innerArea) : before.inner_area_dm2;
        checkAreas(buildingDm2, innerDm2);
        const at = now();
        let code = before.code;
        let sortKey = before.sort_key;
        if (body.number !== undefined && body.number !== before.number) {
          if (await repo.rooms.byNumber(tx, before.unit_id, body.number)) throw taken('/body/number', 'a room with this number exists in the unit', '该单元已有相同房号的房屋');
          const building = (await repo.buildings.byId(tx, before.building_id))!;
          const unit = (await repo.units.byId(tx, before.unit_id))!;
          code = roomCode(building.code, unit.code, body.number);
          sortKey = roomSortKey(building.code, unit.code, body.number);
          if (await repo.rooms.byCode(tx, before.community_id, code)) throw taken('/body/number', `room code ${code} is taken in the community`, `该小区已有房屋编号 ${code}`);
        }
        const patch = {
          ...(body.number !== undefined ? { number: body.number, code, sort_key: sortKey } : {}),
          ...(body.floor !== undefined ? { floor: body.floor } : {}),
          building_area_dm2: buildingDm2,
          inner_area_dm2: innerDm2,
          ...(body.use !== undefined ? { use: body.use } : {}),
          ...(body.state !== undefined ? { state: body.state } : {}),
          ...(body.deliveredOn !== undefined ? { delivered_on: body.deliveredOn } : {}),
          updated_at: at,
        };
        await guardUnique(repo.rooms.update(tx, id, patch), '/body/number');
        const after = { ...before, ...patch };
        await audit(tx, ctx, 'properties.room.update', 'room', id, before.community_id, roomView(before), roomView(after));
        return roomView(after);
      });
    },

    // ---- parking
    async listParkingLots(ctx, communityId) {
      assertCan(ctx, 'properties.room.read', communityId);
      return (await repo.parkingLots.list(deps.db, communityId)).map(lotView);
    },
    async createParkingLot(ctx, body) {
      assertCan(ctx, 'properties.room.manage', body.communityId);
      return deps.db.transaction().execute(async (tx) => {
        if (!(await repo.communities.byId(tx, body.communityId))) throw invalid('/body/communityId', 'unknown community', '小区不存在');
        if (await repo.parkingLots.byCode(tx, body.communityId, body.code)) throw taken('/body/code', 'a parking lot with this code exists in the community', '该小区已有相同编号的停车场');
        const at = now();
        const row = { id: deps.ids(), community_id: body.communityId, code: body.code, name: body.name, kind: body.kind, created_at: at, updated_at: at };
        await guardUnique(repo.parkingLots.insert(tx, row), '/body/code');
        await audit(tx, ctx, 'properties.parking_lot.create', 'parking_lot', row.id, row.community_id, undefined, lotView(row));
        return lotView(row);
      });
    },
    async updateParkingLot(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.parkingLots.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.room.manage', before.community_id);
        if (body.code !== undefined && body.code !== before.code && (await repo.parkingLots.byCode(tx, before.community_id, body.code))) {
          throw taken('/body/code', 'a parking lot with this code exists in the community', '该小区已有相同编号的停车场');
        }
        const patch = { ...(body.code !== undefined ? { code: body.code } : {}), ...(body.name !== undefined ? { name: body.name } : {}), ...(body.kind !== undefined ? { kind: body.kind } : {}), updated_at: now() };
        await guardUnique(repo.parkingLots.update(tx, id, patch), '/body/code');
        const after = { ...before, ...patch };
        await audit(tx, ctx, 'properties.parking_lot.update', 'parking_lot', id, before.community_id, lotView(before), lotView(after));
        return lotView(after);
      });
    },
    async listParkingSpaces(ctx, query) {
      let scope = scopeOf(ctx, 'properties.room.read');
      if (query.communityId) {
        assertCan(ctx, 'properties.room.read', query.communityId);
        scope = null;
      }
      if (scope !== null && scope.length === 0) return { items: [], nextCursor: null };
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 3);
      const rows = await repo.parkingSpaces.list(deps.db, scope, query, after ? [cursorText(after[0]), cursorText(after[1]), cursorId(after[2])] : undefined, limit);
      const page = pageOf(rows, limit, (r) => [r.lot_code, r.number, r.id]);
      return { items: page.items.map(spaceView), nextCursor: page.nextCursor };
    },
    async createParkingSpace(ctx, body) {
      return deps.db.transaction().execute(async (tx) => {
        const lot = await repo.parkingLots.byId(tx, body.parkingLotId);
        if (!lot) throw invalid('/body/parkingLotId', 'unknown parking lot', '停车场不存在');
        assertCan(ctx, 'properties.room.manage', lot.community_id);
        if (await repo.parkingSpaces.byNumber(tx, lot.id, body.number)) throw taken('/body/number', 'a space with this number exists in the lot', '该停车场已有相同编号的车位');
        const at = now();
        const row = {
          id: deps.ids(),
          community_id: lot.community_id,
          parking_lot_id: lot.id,
          number: body.number,
          tenure: body.tenure,
          area_dm2: areaIn(body.area),
          state: body.state ?? 'vacant',
          created_at: at,
          updated_at: at,
        };
        if (row.area_dm2 === 0) throw invalid('/body/area', 'must be greater than 0', '必须大于 0');
        await guardUnique(repo.parkingSpaces.insert(tx, row), '/body/number');
        const view = spaceView({ ...row, lot_code: lot.code, lot_name: lot.name });
        await audit(tx, ctx, 'properties.parking_space.create', 'parking_space', row.id, row.community_id, undefined, spaceOnly(view));
        return view;
      });
    },
    async updateParkingSpace(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.parkingSpaces.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'properties.room.manage', before.community_id);
        if (body.number !== undefined && body.number !== before.number && (await repo.parkingSpaces.byNumber(tx, before.parking_lot_id, body.number))) {
          throw taken('/body/number', 'a space with this number exists in the lot', '该停车场已有相同编号的车位');
        }
        if (body.area !== undefined && areaIn(body.area) === 0) throw invalid('/body/area', 'must be greater than 0', '必须大于 0');
        const patch = {
          ...(body.number !== undefined ? { number: body.number } : {}),
          ...(body.tenure !== undefined ? { tenure: body.tenure } : {}),
          ...(body.area !== undefined ? { area_dm2: areaIn(body.area) } : {}),
          ...(body.state !== undefined ? { state: body.state } : {}),
          updated_at: now(),
        };
        await guardUnique(repo.parkingSpaces.update(tx, id, patch), '/body/number');
        const after = { ...before, ...patch };
        await audit(tx, ctx, 'properties.parking_space.update', 'parking_space', id, before.community_id, spaceOnly(spaceView(before)), spaceOnly(spaceView(after)));
        return spaceView(after);
      });
    },

    // ---- for other modules
    async roomRef(exec, id) {
      const r = await repo.rooms.byId(exec, id);
      return r && { id: r.id, communityId: r.community_id, code: r.code, state: r.state, use: r.use };
    },
    async parkingSpaceRef(exec, id) {
      const r = await repo.parkingSpaces.byId(exec, id);
      return r && { id: r.id, communityId: r.community_id, number: r.number, state: r.state };
    },
    async setRoomState(tx, ctx, roomId, state) {
      const before = await loadRoom(tx, roomId);
      if (before.state === state) return;
      const at = now();
      if (before.state === 'renovating' && state !== 'renovating') {
        const active = await repo.renovations.activeOfRoom(tx, roomId);
        if (active) {
          // The works go on: remember the occupancy state for when they end.
          await repo.renovations.update(tx, active.id, { room_state_before: state, updated_at: at });
          await deps.audit.record(tx, ctx, { action: 'properties.room.state', entityType: 'room', entityId: roomId, communityId: before.community_id, before: { state: before.state }, after: { state: before.state, afterRenovation: state, renovationId: active.id } });
          return;
        }
      }
      await repo.rooms.update(tx, roomId, { state, updated_at: at });
      await deps.audit.record(tx, ctx, { action: 'properties.room.state', entityType: 'room', entityId: roomId, communityId: before.community_id, before: { state: before.state }, after: { state } });
    },
    async setParkingSpaceState(tx, ctx, id, state) {
      const before = await repo.parkingSpaces.byId(tx, id);
      if (!before) throw notFound();
      if (before.state === state) return;
      await repo.parkingSpaces.update(tx, id, { state, updated_at: now() });
      await deps.audit.record(tx, ctx, { action: 'properties.parking_space.state', entityType: 'parking_space', entityId: id, communityId: before.community_id, before: { state: before.state }, after: { state } });
    },
  };
}

export { tagView };
