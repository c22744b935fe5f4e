import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import { dialectOf } from '../../core/db/sql.js';
import { roomSortKeySql } from './room-order.js';
import type {
  BuildingTable,
  CommunityTable,
  ParkingLotTable,
  ParkingSpaceTable,
  ParkingSpaceState,
  ParkingTenure,
  RenovationState,
  RenovationTable,
  RoomState,
  RoomTable,
  RoomUse,
  TaggedEntity,
  TaggingTable,
  TagTable,
  UnitTable,
} from './properties.tables.js';

export type CommunityRow = Selectable<CommunityTable>;
export type BuildingRow = Selectable<BuildingTable>;
export type UnitRow = Selectable<UnitTable>;
export type RoomRow = Selectable<RoomTable>;
export type ParkingLotRow = Selectable<ParkingLotTable>;
export type ParkingSpaceRow = Selectable<ParkingSpaceTable>;
export type RenovationRow = Selectable<RenovationTable>;
export type TagRow = Selectable<TagTable>;

/** `scope` null = every community; [] = none (callers return early). */
type Scope = string[] | null;
/** Upper bound of a prefix range: `x >= q and x < q || U+FFFF` uses the (community, code) index on both databases. */
const prefixEnd = (q: string) => `${q}\uffff`;
/** Batches of ids for `in (…)` lists, well under SQLite's and PostgreSQL's parameter limits. */
export function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export const communities = {
  list: (db: Exec, ids: Scope) => {
    let q = db.selectFrom('communities').selectAll();
    if (ids !== null) {
      if (ids.length === 0) return Promise.resolve([]);
      q = q.where('id', 'in', ids);
    }
    return q.orderBy('code').execute();
  },
  byId: (db: Exec, id: string) => db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, code: string) => db.selectFrom('communities').selectAll().where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: CommunityRow) => db.insertInto('communities').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<CommunityTable>) => db.updateTable('communities').set(patch).where('id', '=', id).execute(),
};

export const buildings = {
  list: (db: Exec, communityId: string) => db.selectFrom('buildings').selectAll().where('community_id', '=', communityId).orderBy('code').orderBy('id').execute(),
  byId: (db: Exec, id: string) => db.selectFrom('buildings').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, communityId: string, code: string) =>
    db.selectFrom('buildings').selectAll().where('community_id', '=', communityId).where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<BuildingTable>) => db.insertInto('buildings').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<BuildingTable>) => db.updateTable('buildings').set(patch).where('id', '=', id).execute(),
  hasUnits: async (db: Exec, id: string) => (await db.selectFrom('units').select('id').where('building_id', '=', id).limit(1).executeTakeFirst()) !== undefined,
  remove: (db: Exec, id: string) => db.deleteFrom('buildings').where('id', '=', id).execute(),
};

export const units = {
  list: (db: Exec, buildingId: string) => db.selectFrom('units').selectAll().where('building_id', '=', buildingId).orderBy('code').orderBy('id').execute(),
  byId: (db: Exec, id: string) => db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, buildingId: string, code: string) => db.selectFrom('units').selectAll().where('building_id', '=', buildingId).where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<UnitTable>) => db.insertInto('units').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<UnitTable>) => db.updateTable('units').set(patch).where('id', '=', id).execute(),
  hasRooms: async (db: Exec, id: string) => (await db.selectFrom('rooms').select('id').where('unit_id', '=', id).limit(1).executeTakeFirst()) !== undefined,
  remove: (db: Exec, id: string) => db.deleteFrom('units').where('id', '=', id).execute(),
};

export interface RoomFilter {
  communityId?: string | undefined;
  buildingId?: string | undefined;
  unitId?: string | undefined;
  use?: RoomUse | undefined;
  state?: RoomState | undefined;
  tagId?: string | undefined;
  q?: string | undefined;
}

export const rooms = {
  byId: (db: Exec, id: string) => db.selectFrom('rooms').selectAll().where('id', '=', id).executeTakeFirst(),
  detail: (db: Exec, id: string) =>
    db
      .selectFrom('rooms')
      .innerJoin('communities', 'communities.id', 'rooms.community_id')
      .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
      .innerJoin('units', 'units.id', 'rooms.unit_id')
      .selectAll('rooms')
      .select(['communities.name as community_name', 'buildings.name as building_name', 'units.name as unit_name'])
      .where('rooms.id', '=', id)
      .executeTakeFirst(),
  byNumber: (db: Exec, unitId: string, number: string) => db.selectFrom('rooms').select('id').where('unit_id', '=', unitId).where('number', '=', number).executeTakeFirst(),
  byCode: (db: Exec, communityId: string, code: string) => db.selectFrom('rooms').select('id').where('community_id', '=', communityId).where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<RoomTable>) => db.insertInto('rooms').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<RoomTable>) => db.updateTable('rooms').set(patch).where('id', '=', id).execute(),
  /** Rooms in natural order (sort_key, then id; room-order.ts), keyset after `after` = [sort_key, id]. */
  list: (db: Exec, scope: Scope, f: RoomFilter, after: [string, string] | undefined, limit: number) => {
    let q = db.selectFrom('rooms').selectAll();
    if (scope !== null) q = q.where('community_id', 'in', scope);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    if (f.buildingId) q = q.where('building_id', '=', f.buildingId);
    if (f.unitId) q = q.where('unit_id', '=', f.unitId);
    if (f.use) q = q.where('use', '=', f.use);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.q) q = q.where('code', '>=', f.q).where('code', '<', prefixEnd(f.q));
    if (f.tagId) {
      const tagId = f.tagId;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('taggings')
            .select('taggings.tag_id')
            .where('taggings.tag_id', '=', tagId)
            .where('taggings.entity_type', '=', 'room')
            .whereRef('taggings.entity_id', '=', 'rooms.id'),
        ),
      );
    }
    if (after) {
      const [key, id] = after;
      q = q.where((eb) => eb.or([eb('sort_key', '>', key), eb.and([eb('sort_key', '=', key), eb('id', '>', id)])]));
    }
    return q.orderBy('sort_key').orderBy('id').limit(limit + 1).execute();
  },
  /** Set-based: every room of the building (or unit) gets its code rebuilt from the current codes. */
  syncCodes: (db: Exec, where: { buildingId: string } | { unitId: string }, at: string) =>
    db
      .updateTable('rooms')
      .set({
        code: sql<string>`(select b.code from buildings b where b.id = rooms.building_id) || '-' || (select u.code from units u where u.id = rooms.unit_id) || '-' || rooms.number`,
        sort_key: roomSortKeySql(dialectOf(db), sql<string>`(select b.code from buildings b where b.id = rooms.building_id)`, sql<string>`(select u.code from units u where u.id = rooms.unit_id)`, sql.ref<string>('rooms.number')),
        updated_at: at,
      })
      .where('buildingId' in where ? 'building_id' : 'unit_id', '=', 'buildingId' in where ? where.buildingId : where.unitId)
      .execute(),
  communitiesOf: async (db: Exec, ids: readonly string[]) => {
    const out = new Map<string, string>();
    for (const part of chunks(ids)) {
      for (const r of await db.selectFrom('rooms').select(['id', 'community_id']).where('id', 'in', part).execute()) out.set(r.id, r.community_id);
    }
    return out;
  },
  treeRows: (db: Exec, communityId: string) =>
    Promise.all([
      db.selectFrom('buildings').select(['id', 'code', 'name']).where('community_id', '=', communityId).orderBy('code').orderBy('id').execute(),
      db.selectFrom('units').select(['id', 'building_id', 'code', 'name']).where('community_id', '=', communityId).orderBy('code').orderBy('id').execute(),
      db
        .selectFrom('rooms')
        .select(['id', 'unit_id', 'number', 'code', 'floor', 'state', 'use'])
        .where('community_id', '=', communityId)
        .orderBy('floor')
        .orderBy('number')
        .orderBy('id')
        .execute(),
    ]),
};

export const parkingLots = {
  list: (db: Exec, communityId: string) => db.selectFrom('parking_lots').selectAll().where('community_id', '=', communityId).orderBy('code').orderBy('id').execute(),
  byId: (db: Exec, id: string) => db.selectFrom('parking_lots').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, communityId: string, code: string) =>
    db.selectFrom('parking_lots').selectAll().where('community_id', '=', communityId).where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<ParkingLotTable>) => db.insertInto('parking_lots').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<ParkingLotTable>) => db.updateTable('parking_lots').set(patch).where('id', '=', id).execute(),
};

export interface SpaceFilter {
  communityId?: string | undefined;
  parkingLotId?: string | undefined;
  tenure?: ParkingTenure | undefined;
  state?: ParkingSpaceState | undefined;
  q?: string | undefined;
}
export type SpaceWithLot = ParkingSpaceRow & { lot_code: string; lot_name: string };

const spacesWithLot = (db: Exec) =>
  db.selectFrom('parking_spaces').innerJoin('parking_lots', 'parking_lots.id', 'parking_spaces.parking_lot_id').selectAll('parking_spaces').select(['parking_lots.code as lot_code', 'parking_lots.name as lot_name']);

export const parkingSpaces = {
  byId: (db: Exec, id: string): Promise<SpaceWithLot | undefined> => spacesWithLot(db).where('parking_spaces.id', '=', id).executeTakeFirst(),
  byNumber: (db: Exec, lotId: string, number: string) =>
    db.selectFrom('parking_spaces').select('id').where('parking_lot_id', '=', lotId).where('number', '=', number).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<ParkingSpaceTable>) => db.insertInto('parking_spaces').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<ParkingSpaceTable>) => db.updateTable('parking_spaces').set(patch).where('id', '=', id).execute(),
  /** Ordered by lot code, space number, id; keyset after [lotCode, number, id]. */
  list: (db: Exec, scope: Scope, f: SpaceFilter, after: [string, string, string] | undefined, limit: number): Promise<SpaceWithLot[]> => {
    let q = spacesWithLot(db);
    if (scope !== null) q = q.where('parking_spaces.community_id', 'in', scope);
    if (f.communityId) q = q.where('parking_spaces.community_id', '=', f.communityId);
    if (f.parkingLotId) q = q.where('parking_spaces.parking_lot_id', '=', f.parkingLotId);
    if (f.tenure) q = q.where('parking_spaces.tenure', '=', f.tenure);
    if (f.state) q = q.where('parking_spaces.state', '=', f.state);
    if (f.q) q = q.where('parking_spaces.number', '>=', f.q).where('parking_spaces.number', '<', prefixEnd(f.q));
    if (after) {
      const [lot, number, id] = after;
      q = q.where((eb) =>
        eb.or([
          eb('parking_lots.code', '>', lot),
          eb.and([eb('parking_lots.code', '=', lot), eb('parking_spaces.number', '>', number)]),
          eb.and([eb('parking_lots.code', '=', lot), eb('parking_spaces.number', '=', number), eb('parking_spaces.id', '>', id)]),
        ]),
      );
    }
    return q.orderBy('parking_lots.code').orderBy('parking_spaces.number').orderBy('parking_spaces.id').limit(limit + 1).execute();
  },
};

export const tags = {
  /** Organisation-wide tags plus the free tags of the given communities (null = all). */
  list: (db: Exec, communityIds: Scope) => {
    let q = db.selectFrom('tags').selectAll();
    if (communityIds === null) return q.orderBy('kind').orderBy('name').execute();
    q = communityIds.length === 0 ? q.where('community_id', 'is', null) : q.where((eb) => eb.or([eb('community_id', 'is', null), eb('community_id', 'in', communityIds)]));
    return q.orderBy('kind').orderBy('name').execute();
  },
  byId: (db: Exec, id: string) => db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, code: string) => db.selectFrom('tags').selectAll().where('code', '=', code).executeTakeFirst(),
  /** A tag of that name visible in the community: its own free tags and the organisation-wide ones. */
  byName: (db: Exec, communityId: string, name: string) =>
    db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', name)
      .where((eb) => eb.or([eb('community_id', 'is', null), eb('community_id', '=', communityId)]))
      .executeTakeFirst(),
  insert: (db: Exec, row: Insertable<TagTable>) => db.insertInto('tags').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<TagTable>) => db.updateTable('tags').set(patch).where('id', '=', id).execute(),
  remove: async (db: Exec, id: string) => {
    const removed = await db.deleteFrom('taggings').where('tag_id', '=', id).executeTakeFirst();
    await db.deleteFrom('tags').where('id', '=', id).execute();
    return Number(removed.numDeletedRows);
  },
  taggedAmong: async (db: Exec, tagId: string, type: TaggedEntity, ids: readonly string[]) => {
    const out = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await db.selectFrom('taggings').select('entity_id').where('tag_id', '=', tagId).where('entity_type', '=', type).where('entity_id', 'in', part).execute();
      for (const r of rows) out.add(r.entity_id);
    }
    return out;
  },
  insertTaggings: async (db: Exec, rows: Insertable<TaggingTable>[]) => {
    for (const part of chunks(rows, 200)) await db.insertInto('taggings').values(part).execute();
  },
  deleteTaggings: async (db: Exec, tagId: string, type: TaggedEntity, ids: readonly string[]) => {
    let n = 0;
    for (const part of chunks(ids)) {
      const r = await db.deleteFrom('taggings').where('tag_id', '=', tagId).where('entity_type', '=', type).where('entity_id', 'in', part).executeTakeFirst();
      n += Number(r.numDeletedRows);
    }
    return n;
  },
  /** The tags on each entity, one query per 500 ids. */
  of: async (db: Exec, type: TaggedEntity, ids: readonly string[]) => {
    const out: { entity_id: string; tag: TagRow }[] = [];
    for (const part of chunks([...new Set(ids)])) {
      const rows = await db
        .selectFrom('taggings')
        .innerJoin('tags', 'tags.id', 'taggings.tag_id')
        .selectAll('tags')
        .select('taggings.entity_id')
        .where('taggings.entity_type', '=', type)
        .where('taggings.entity_id', 'in', part)
        .orderBy('tags.kind')
        .orderBy('tags.name')
        .execute();
      for (const { entity_id, ...tag } of rows) out.push({ entity_id, tag });
    }
    return out;
  },
};

export interface RenovationFilter {
  communityId?: string | undefined;
  state?: RenovationState | undefined;
  roomId?: string | undefined;
}
export type RenovationWithRoom = RenovationRow & { room_code: string };

const renovationsWithRoom = (db: Exec) => db.selectFrom('renovations').innerJoin('rooms', 'rooms.id', 'renovations.room_id').selectAll('renovations').select('rooms.code as room_code');

export const renovations = {
  byId: (db: Exec, id: string): Promise<RenovationWithRoom | undefined> => renovationsWithRoom(db).where('renovations.id', '=', id).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<RenovationTable>) => db.insertInto('renovations').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<RenovationTable>) => db.updateTable('renovations').set(patch).where('id', '=', id).execute(),
  /** Compare-and-set on the state: false when a concurrent request moved the application first. */
  updateFrom: async (db: Exec, id: string, from: { state: RenovationState; deposit_state: RenovationRow['deposit_state'] }, patch: Updateable<RenovationTable>) => {
    const r = await db.updateTable('renovations').set(patch).where('id', '=', id).where('state', '=', from.state).where('deposit_state', '=', from.deposit_state).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** The room's renovation whose works are under way (started, not yet passed inspection). */
  activeOfRoom: (db: Exec, roomId: string) =>
    db.selectFrom('renovations').selectAll().where('room_id', '=', roomId).where('state', 'in', ['in_progress', 'failed_inspection']).executeTakeFirst(),
  /** Newest first (ids are time-ordered); keyset before `before`. */
  list: (db: Exec, scope: Scope, f: RenovationFilter, before: string | undefined, limit: number): Promise<RenovationWithRoom[]> => {
    let q = renovationsWithRoom(db);
    if (scope !== null) q = q.where('renovations.community_id', 'in', scope);
    if (f.communityId) q = q.where('renovations.community_id', '=', f.communityId);
    if (f.state) q = q.where('renovations.state', '=', f.state);
    if (f.roomId) q = q.where('renovations.room_id', '=', f.roomId);
    if (before) q = q.where('renovations.id', '<', before);
    return q.orderBy('renovations.id', 'desc').limit(limit + 1).execute();
  },
};
