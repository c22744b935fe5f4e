import { sql, type Insertable, type Selectable, type Updateable, type Expression, type SqlBool } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { Exec } from '../../core/db/schema.js';
import type { MoveChecklistTable, OccupancyTable, PersonTable, Relation, VehicleTable } from './people.tables.js';

export type PersonRow = Selectable<PersonTable>;
export type OccupancyRow = Selectable<OccupancyTable>;
export type VehicleRow = Selectable<VehicleTable>;
export type ChecklistRow = Selectable<MoveChecklistTable>;

/** An occupancy with the names the UI shows (person, room code, space number). */
export type OccupancyView = OccupancyRow & { person_name: string; room_code: string | null; space_number: string | null };
export type VehicleView = VehicleRow & { person_name: string | null; space_number: string | null };
/** What a search hit shows of a person: the other encrypted columns are not read (search cost). */
export type PersonHitRow = Pick<PersonRow, 'id' | 'community_id' | 'name' | 'phone_enc'>;
const HIT_COLUMNS = ['id', 'community_id', 'name', 'phone_enc'] as const;

/**
 * Prefix ranges (`col >= q and col < q || U+FFFF`) so a B-tree index serves them on both
 * databases; on PostgreSQL compared in the "C" collation the search indexes are built with
 * (migration 202611250440_people_search).
 */
const MAX = '\uffff';
function ordered(dialect: Dialect, ref: string) {
  return dialect === 'postgres' ? sql<string>`${sql.ref(ref)} collate "C"` : sql<string>`${sql.ref(ref)}`;
}
function prefix(dialect: Dialect, ref: string, q: string): Expression<SqlBool> {
  const col = ordered(dialect, ref);
  return sql<SqlBool>`(${col} >= ${q} and ${col} < ${q + MAX})`;
}

const EMPTY_IN = '00000000-0000-0000-0000-000000000000';
/** `in ()` is not valid SQL: an empty scope matches nothing through an id no row has. */
const nonEmpty = (ids: readonly string[]) => (ids.length ? [...ids] : [EMPTY_IN]);

export interface PersonFilter {
  /** null = every community */
  scope: string[] | null;
  communityId?: string | undefined;
  buildingId?: string | undefined;
  roomId?: string | undefined;
  relation?: Relation | undefined;
  tagId?: string | undefined;
  movedInFrom?: string | undefined;
  movedInTo?: string | undefined;
  current?: boolean | undefined;
  q?: string | undefined;
  after?: [string, string] | undefined;
  limit: number;
}

export const persons = {
  byId: (db: Exec, id: string) => db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst(),
  byIds: (db: Exec, ids: readonly string[]) => db.selectFrom('persons').selectAll().where('id', 'in', nonEmpty(ids)).execute(),
  insert: (db: Exec, row: Insertable<PersonTable>) => db.insertInto('persons').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<PersonTable>) => db.updateTable('persons').set(patch).where('id', '=', id).execute(),
  /** Another person of the community with this ID number (blind index). */
  idNumberHolder: (db: Exec, communityId: string, idx: string) =>
    db.selectFrom('persons').select('id').where('community_id', '=', communityId).where('id_number_idx', '=', idx).executeTakeFirst(),
  communities: (db: Exec, ids: readonly string[]) => db.selectFrom('persons').select(['id', 'community_id']).where('id', 'in', nonEmpty(ids)).execute(),
  byUser: (db: Exec, userId: string) => db.selectFrom('persons').selectAll().where('user_id', '=', userId).execute(),

  list(db: Exec, dialect: Dialect, f: PersonFilter) {
    const name = ordered(dialect, 'p.name');
    let query = db.selectFrom('persons as p').selectAll('p');
    if (f.scope !== null) query = query.where('p.community_id', 'in', nonEmpty(f.scope));
    if (f.communityId) query = query.where('p.community_id', '=', f.communityId);
    if (f.q) query = query.where(prefix(dialect, 'p.name', f.q));
    if (f.tagId) {
      const tagId = f.tagId;
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('taggings as t').select('t.tag_id').where('t.tag_id', '=', tagId).where('t.entity_type', '=', 'person').whereRef('t.entity_id', '=', 'p.id')),
      );
    }
    const occupancyFilter = f.buildingId || f.roomId || f.relation || f.movedInFrom || f.movedInTo || f.current === true;
    if (occupancyFilter) {
      // One occupancy must match every condition: "current tenants of building 3", not a tenant
      // somewhere who once lived in building 3.
      query = query.where((eb) => {
        let o = eb.selectFrom('occupancies as o').select('o.id').whereRef('o.person_id', '=', 'p.id');
        if (f.roomId) o = o.where('o.room_id', '=', f.roomId);
        if (f.buildingId) {
          const buildingId = f.buildingId;
          o = o.where((e2) => e2.exists(e2.selectFrom('rooms as r').select('r.id').whereRef('r.id', '=', 'o.room_id').where('r.building_id', '=', buildingId)));
        }
        if (f.relation) o = o.where('o.relation', '=', f.relation);
        if (f.movedInFrom) o = o.where('o.moved_in_on', '>=', f.movedInFrom);
        if (f.movedInTo) o = o.where('o.moved_in_on', '<=', f.movedInTo);
        if (f.current === true) o = o.where('o.moved_out_on', 'is', null);
        return eb.exists(o);
      });
    }
    if (f.current === false) {
      query = query.where((eb) =>
        eb.not(eb.exists(eb.selectFrom('occupancies as o').select('o.id').whereRef('o.person_id', '=', 'p.id').where('o.moved_out_on', 'is', null))),
      );
    }
    if (f.after) {
      const [afterName, afterId] = f.after;
      query = query.where(sql<SqlBool>`(${name} > ${afterName} or (${name} = ${afterName} and ${sql.ref('p.id')} > ${afterId}))`);
    }
    return query.orderBy(name).orderBy('p.id').limit(f.limit + 1).execute();
  },

  /**
   * Name prefix within the scope, for the search box. An unrestricted scope reads the (name, id)
   * index in order and stops after `limit` rows; a list of communities would make the database
   * collect and sort every match of every community first (a common surname has tens of
   * thousands at a million people).
   */
  searchByName(db: Exec, dialect: Dialect, scope: string[] | null, q: string, limit: number): Promise<PersonHitRow[]> {
    let query = db.selectFrom('persons').select(HIT_COLUMNS);
    if (scope !== null) query = query.where('community_id', 'in', nonEmpty(scope));
    return query
      .where(prefix(dialect, 'name', q))
      .orderBy(ordered(dialect, 'name'))
      .orderBy('id')
      .limit(limit)
      .execute();
  },
  searchByIndex(db: Exec, column: 'phone_idx' | 'id_number_idx', idx: string, scope: string[] | null, limit: number): Promise<PersonHitRow[]> {
    let query = db.selectFrom('persons').select(HIT_COLUMNS).where(column, '=', idx);
    if (scope !== null) query = query.where('community_id', 'in', nonEmpty(scope));
    // ID numbers are indexed per community only (the unique (community_id, id_number_idx)): a
    // caller who sees every community looks in each.
    else if (column === 'id_number_idx') query = query.where('community_id', 'in', db.selectFrom('communities').select('id'));
    return query.orderBy('id').limit(limit).execute();
  },
};

const occupancyView = (db: Exec) =>
  db
    .selectFrom('occupancies as o')
    .innerJoin('persons as p', 'p.id', 'o.person_id')
    .leftJoin('rooms as r', 'r.id', 'o.room_id')
    .leftJoin('parking_spaces as s', 's.id', 'o.parking_space_id')
    .selectAll('o')
    .select(['p.name as person_name', 'r.code as room_code', 's.number as space_number']);

export const occupancies = {
  byId: (db: Exec, id: string) => db.selectFrom('occupancies').selectAll().where('id', '=', id).executeTakeFirst(),
  viewById: (db: Exec, id: string): Promise<OccupancyView | undefined> => occupancyView(db).where('o.id', '=', id).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<OccupancyTable>) => db.insertInto('occupancies').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<OccupancyTable>) => db.updateTable('occupancies').set(patch).where('id', '=', id).execute(),
  /** Current first, then newest move-in first: the history a room or person page shows. */
  of: (db: Exec, column: 'person_id' | 'room_id' | 'parking_space_id', id: string): Promise<OccupancyView[]> =>
    occupancyView(db)
      .where(`o.${column}`, '=', id)
      .orderBy(sql`case when o.moved_out_on is null then 0 else 1 end`)
      .orderBy('o.moved_in_on', 'desc')
      .orderBy('o.id', 'desc')
      .execute(),
  current: (db: Exec, target: { roomId: string } | { parkingSpaceId: string }) => {
    const query = db.selectFrom('occupancies').selectAll().where('moved_out_on', 'is', null);
    return ('roomId' in target ? query.where('room_id', '=', target.roomId) : query.where('parking_space_id', '=', target.parkingSpaceId)).execute();
  },
  /** Exactly one current primary contact per room: clears every other one. */
  clearPrimary: (db: Exec, roomId: string, exceptId: string, at: string) =>
    db
      .updateTable('occupancies')
      .set({ primary_contact: 0, updated_at: at })
      .where('room_id', '=', roomId)
      .where('moved_out_on', 'is', null)
      .where('primary_contact', '=', 1)
      .where('id', '<>', exceptId)
      .execute(),
  /** Current occupancies of these persons (portal). */
  currentOfPersons: (db: Exec, personIds: readonly string[]): Promise<OccupancyView[]> =>
    occupancyView(db).where('o.person_id', 'in', nonEmpty(personIds)).where('o.moved_out_on', 'is', null).orderBy('o.moved_in_on').orderBy('o.id').execute(),
  /** Current occupants of these rooms, with their phones (encrypted) for the household list. */
  householdOf: (db: Exec, roomIds: readonly string[]) =>
    db
      .selectFrom('occupancies as o')
      .innerJoin('persons as p', 'p.id', 'o.person_id')
      .select(['o.room_id', 'o.relation', 'p.name', 'p.phone_enc', 'p.id as person_id'])
      .where('o.room_id', 'in', nonEmpty(roomIds))
      .where('o.moved_out_on', 'is', null)
      .orderBy('o.moved_in_on')
      .orderBy('o.id')
      .execute(),
};

const vehicleView = (db: Exec) =>
  db
    .selectFrom('vehicles as v')
    .leftJoin('persons as p', 'p.id', 'v.person_id')
    .leftJoin('parking_spaces as s', 's.id', 'v.parking_space_id')
    .selectAll('v')
    .select(['p.name as person_name', 's.number as space_number']);

export interface VehicleFilter {
  scope: string[] | null;
  communityId?: string | undefined;
  personId?: string | undefined;
  roomId?: string | undefined;
  q?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export const vehicles = {
  byId: (db: Exec, id: string) => db.selectFrom('vehicles').selectAll().where('id', '=', id).executeTakeFirst(),
  viewById: (db: Exec, id: string): Promise<VehicleView | undefined> => vehicleView(db).where('v.id', '=', id).executeTakeFirst(),
  byPlate: (db: Exec, plate: string) => db.selectFrom('vehicles').select(['id', 'community_id']).where('plate', '=', plate).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<VehicleTable>) => db.insertInto('vehicles').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<VehicleTable>) => db.updateTable('vehicles').set(patch).where('id', '=', id).execute(),
  delete: (db: Exec, id: string) => db.deleteFrom('vehicles').where('id', '=', id).execute(),
  ofPersons: (db: Exec, personIds: readonly string[]): Promise<VehicleView[]> => vehicleView(db).where('v.person_id', 'in', nonEmpty(personIds)).orderBy('v.plate').execute(),
  list(db: Exec, dialect: Dialect, f: VehicleFilter): Promise<VehicleView[]> {
    const plate = ordered(dialect, 'v.plate');
    let query = vehicleView(db);
    if (f.scope !== null) query = query.where('v.community_id', 'in', nonEmpty(f.scope));
    if (f.communityId) query = query.where('v.community_id', '=', f.communityId);
    if (f.personId) query = query.where('v.person_id', '=', f.personId);
    if (f.roomId) {
      const roomId = f.roomId;
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('occupancies as o').select('o.id').whereRef('o.person_id', '=', 'v.person_id').where('o.room_id', '=', roomId).where('o.moved_out_on', 'is', null)),
      );
    }
    if (f.q) query = query.where(prefix(dialect, 'v.plate', f.q));
    if (f.after) query = query.where(sql<SqlBool>`${plate} > ${f.after}`);
    return query.orderBy(plate).limit(f.limit + 1).execute();
  },
  searchByPlate(db: Exec, dialect: Dialect, scope: string[] | null, q: string, limit: number): Promise<VehicleView[]> {
    let query = vehicleView(db).where(prefix(dialect, 'v.plate', q));
    if (scope !== null) query = query.where('v.community_id', 'in', nonEmpty(scope));
    return query.orderBy(ordered(dialect, 'v.plate')).limit(limit).execute();
  },
};

export const checklists = {
  byId: (db: Exec, id: string) => db.selectFrom('move_checklists').selectAll().where('id', '=', id).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<MoveChecklistTable>) => db.insertInto('move_checklists').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<MoveChecklistTable>) => db.updateTable('move_checklists').set(patch).where('id', '=', id).execute(),
  ofRoom: (db: Exec, roomId: string) => db.selectFrom('move_checklists').selectAll().where('room_id', '=', roomId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
};

/** Read-only lookups in the properties module's tables, for search and display. */
export const registry = {
  allCommunityIds: async (db: Exec) => (await db.selectFrom('communities').select('id').execute()).map((r) => r.id),
  /** Rooms by code prefix ("3-2-1502", "3-2-"), one community at a time so the (community, code) index serves it. */
  roomsByCode: (db: Exec, dialect: Dialect, communities: string[], q: string, limit: number) =>
    db
      .selectFrom('rooms as r')
      .innerJoin('communities as c', 'c.id', 'r.community_id')
      .select(['r.id', 'r.community_id', 'r.code', 'r.state', 'r.use', 'c.name as community_name'])
      .where('r.community_id', 'in', nonEmpty(communities))
      .where(prefix(dialect, 'r.code', q))
      .orderBy(ordered(dialect, 'r.code'))
      .limit(limit)
      .execute(),
  communityNames: (db: Exec, ids: readonly string[]) => db.selectFrom('communities').select(['id', 'name']).where('id', 'in', nonEmpty(ids)).execute(),
  /** Room codes of persons' current rooms (search hit subtitles). */
  currentRoomCodes: (db: Exec, personIds: readonly string[]) =>
    db
      .selectFrom('occupancies as o')
      .innerJoin('rooms as r', 'r.id', 'o.room_id')
      .select(['o.person_id', 'r.code'])
      .where('o.person_id', 'in', nonEmpty(personIds))
      .where('o.moved_out_on', 'is', null)
      .orderBy('r.code')
      .execute(),
  roomsForHome: (db: Exec, roomIds: readonly string[]) =>
    db
      .selectFrom('rooms as r')
      .innerJoin('communities as c', 'c.id', 'r.community_id')
      .select(['r.id', 'r.code', 'r.use', 'r.state', 'r.building_area_dm2', 'c.name as community_name'])
      .where('r.id', 'in', nonEmpty(roomIds))
      .execute(),
  spacesWithLot: (db: Exec, spaceIds: readonly string[]) =>
    db
      .selectFrom('parking_spaces as s')
      .innerJoin('parking_lots as l', 'l.id', 's.parking_lot_id')
      .select(['s.id', 's.number', 'l.name as lot_name'])
      .where('s.id', 'in', nonEmpty(spaceIds))
      .execute(),
};
