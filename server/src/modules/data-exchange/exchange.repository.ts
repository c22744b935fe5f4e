import { sql, type Updateable } from 'kysely';
import type { ExportQuery } from '@courtyard/contracts';
import type { Exec } from '../../core/db/schema.js';
import type { ImportBatchTable } from './exchange.tables.js';

/**
 * The module's only SQL: its own import batches, and the export reads. As a layer-3 reader it
 * reads the registry's tables directly (read-only) so an export is one keyset query per 1,000 rows
 * with its joins, never a query per row.
 */

type Scope = string[] | null;

export const batches = {
  insert: (db: Exec, row: ImportBatchTable) => db.insertInto('import_batches').values(row).execute(),
  byId: (db: Exec, id: string) => db.selectFrom('import_batches').selectAll().where('id', '=', id).executeTakeFirst(),
  update: (db: Exec, id: string, patch: Updateable<ImportBatchTable>) => db.updateTable('import_batches').set(patch).where('id', '=', id).execute(),
  /** Compare-and-set on the state: of two concurrent commits, one wins. */
  transition: async (db: Exec, id: string, from: ImportBatchTable['state'], patch: Updateable<ImportBatchTable>) =>
    Number((await db.updateTable('import_batches').set(patch).where('id', '=', id).where('state', '=', from).executeTakeFirst()).numUpdatedRows) === 1,
  remove: (db: Exec, id: string) => db.deleteFrom('import_batches').where('id', '=', id).execute(),
  recent: (db: Exec, scope: Scope, communityId: string | undefined, limit: number) => {
    let q = db.selectFrom('import_batches').selectAll();
    if (scope !== null) q = q.where('community_id', 'in', scope);
    if (communityId) q = q.where('community_id', '=', communityId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  },
  communityExists: async (db: Exec, id: string) => (await db.selectFrom('communities').select('id').where('id', '=', id).executeTakeFirst()) !== undefined,
  communityIdByCode: async (db: Exec, code: string) => (await db.selectFrom('communities').select('id').where('code', '=', code).executeTakeFirst())?.id,
};

/** `substr(col, 1, n) = q`: a prefix match that means the same on both dialects and any collation. */
const prefix = (column: string, q: string) => sql<boolean>`substr(${sql.ref(column)}, 1, ${q.length}) = ${q}`;

export interface ExportPage<T> {
  rows: T[];
}

export const exportsRead = {
  rooms: (db: Exec, scope: Scope, f: ExportQuery, after: string | null, limit: number) => {
    let q = db
      .selectFrom('rooms as r')
      .innerJoin('communities as c', 'c.id', 'r.community_id')
      .innerJoin('buildings as b', 'b.id', 'r.building_id')
      .innerJoin('units as u', 'u.id', 'r.unit_id')
      .select(['r.id', 'c.name as community', 'r.code', 'b.name as building', 'u.name as unit', 'r.number', 'r.floor', 'r.building_area_dm2', 'r.inner_area_dm2', 'r.use', 'r.state', 'r.delivered_on']);
    if (scope !== null) q = q.where('r.community_id', 'in', scope);
    if (f.communityId) q = q.where('r.community_id', '=', f.communityId);
    if (f.buildingId) q = q.where('r.building_id', '=', f.buildingId);
    if (f.unitId) q = q.where('r.unit_id', '=', f.unitId);
    if (f.use) q = q.where('r.use', '=', f.use as never);
    if (f.state) q = q.where('r.state', '=', f.state as never);
    if (f.q) q = q.where(prefix('r.code', f.q));
    if (f.tagId) {
      const tagId = f.tagId;
      q = q.where((eb) => eb.exists(eb.selectFrom('taggings as t').select('t.tag_id').where('t.tag_id', '=', tagId).where('t.entity_type', '=', 'room').whereRef('t.entity_id', '=', 'r.id')));
    }
    if (after) q = q.where('r.id', '>', after);
    return q.orderBy('r.id').limit(limit).execute();
  },

  persons: (db: Exec, scope: Scope, f: ExportQuery, after: string | null, limit: number) => {
    let q = db
      .selectFrom('persons as p')
      .innerJoin('communities as c', 'c.id', 'p.community_id')
      .select(['p.id', 'c.name as community', 'p.name', 'p.kind', 'p.gender', 'p.phone_enc', 'p.id_type', 'p.id_number_enc', 'p.email', 'p.emergency_contact', 'p.emergency_phone_enc', 'p.created_at']);
    if (scope !== null) q = q.where('p.community_id', 'in', scope);
    if (f.communityId) q = q.where('p.community_id', '=', f.communityId);
    if (f.q) q = q.where(prefix('p.name', f.q));
    if (f.tagId) {
      const tagId = f.tagId;
      q = q.where((eb) => eb.exists(eb.selectFrom('taggings as t').select('t.tag_id').where('t.tag_id', '=', tagId).where('t.entity_type', '=', 'person').whereRef('t.entity_id', '=', 'p.id')));
    }
    // Occupancy filters: the person has an occupancy matching all of them (current or past unless `current` says).
    if (f.buildingId || f.roomId || f.relation || f.movedInFrom || f.movedInTo || f.current !== undefined) {
      q = q.where((eb) => {
        let o = eb.selectFrom('occupancies as o').select('o.id').whereRef('o.person_id', '=', 'p.id');
        if (f.roomId) o = o.where('o.room_id', '=', f.roomId);
        if (f.buildingId) {
          const buildingId = f.buildingId;
          o = o.where('o.room_id', 'in', eb.selectFrom('rooms as rr').select('rr.id').where('rr.building_id', '=', buildingId));
        }
        if (f.relation) o = o.where('o.relation', '=', f.relation as never);
        if (f.movedInFrom) o = o.where('o.moved_in_on', '>=', f.movedInFrom);
        if (f.movedInTo) o = o.where('o.moved_in_on', '<=', f.movedInTo);
        if (f.current === true) o = o.where('o.moved_out_on', 'is', null);
        if (f.current === false) o = o.where('o.moved_out_on', 'is not', null);
        return eb.exists(o);
      });
    }
    if (after) q = q.where('p.id', '>', after);
    return q.orderBy('p.id').limit(limit).execute();
  },

  /** Current room codes of the given persons ("3-2-1502 业主"), one query per page. */
  currentRooms: async (db: Exec, personIds: string[]) => {
    if (personIds.length === 0) return [];
    return db
      .selectFrom('occupancies as o')
      .innerJoin('rooms as r', 'r.id', 'o.room_id')
      .select(['o.person_id', 'r.code', 'o.relation', 'o.moved_in_on'])
      .where('o.person_id', 'in', personIds)
      .where('o.moved_out_on', 'is', null)
      .orderBy('r.code')
      .execute();
  },

  parkingSpaces: (db: Exec, scope: Scope, f: ExportQuery, after: string | null, limit: number) => {
    let q = db
      .selectFrom('parking_spaces as s')
      .innerJoin('communities as c', 'c.id', 's.community_id')
      .innerJoin('parking_lots as l', 'l.id', 's.parking_lot_id')
      .select(['s.id', 'c.name as community', 'l.code as lot_code', 'l.name as lot_name', 's.number', 's.tenure', 's.area_dm2', 's.state']);
    if (scope !== null) q = q.where('s.community_id', 'in', scope);
    if (f.communityId) q = q.where('s.community_id', '=', f.communityId);
    if (f.parkingLotId) q = q.where('s.parking_lot_id', '=', f.parkingLotId);
    if (f.tenure) q = q.where('s.tenure', '=', f.tenure as never);
    if (f.state) q = q.where('s.state', '=', f.state as never);
    if (f.q) q = q.where(prefix('s.number', f.q));
    if (after) q = q.where('s.id', '>', after);
    return q.orderBy('s.id').limit(limit).execute();
  },

  vehicles: (db: Exec, scope: Scope, f: ExportQuery, after: string | null, limit: number) => {
    let q = db
      .selectFrom('vehicles as v')
      .innerJoin('communities as c', 'c.id', 'v.community_id')
      .leftJoin('persons as p', 'p.id', 'v.person_id')
      .leftJoin('parking_spaces as s', 's.id', 'v.parking_space_id')
      .select(['v.id', 'c.name as community', 'v.plate', 'p.name as person', 's.number as space', 'v.brand', 'v.color']);
    if (scope !== null) q = q.where('v.community_id', 'in', scope);
    if (f.communityId) q = q.where('v.community_id', '=', f.communityId);
    if (f.personId) q = q.where('v.person_id', '=', f.personId);
    if (f.roomId) {
      const roomId = f.roomId;
      // Vehicles of the room's current occupants.
      q = q.where('v.person_id', 'in', (eb) => eb.selectFrom('occupancies as o').select('o.person_id').where('o.room_id', '=', roomId).where('o.moved_out_on', 'is', null));
    }
    if (f.q) q = q.where(prefix('v.plate', f.q.toUpperCase()));
    if (after) q = q.where('v.id', '>', after);
    return q.orderBy('v.id').limit(limit).execute();
  },

  renovations: (db: Exec, scope: Scope, f: ExportQuery, after: string | null, limit: number) => {
    let q = db
      .selectFrom('renovations as n')
      .innerJoin('communities as c', 'c.id', 'n.community_id')
      .innerJoin('rooms as r', 'r.id', 'n.room_id')
      .select(['n.id', 'c.name as community', 'r.code as room', 'n.contractor', 'n.contractor_phone_enc', 'n.description', 'n.starts_on', 'n.ends_on', 'n.deposit_cents', 'n.deposit_state', 'n.state', 'n.created_at']);
    if (scope !== null) q = q.where('n.community_id', 'in', scope);
    if (f.communityId) q = q.where('n.community_id', '=', f.communityId);
    if (f.state) q = q.where('n.state', '=', f.state as never);
    if (f.roomId) q = q.where('n.room_id', '=', f.roomId);
    if (after) q = q.where('n.id', '>', after);
    return q.orderBy('n.id').limit(limit).execute();
  },

  /** Billing's bills with the bills list's filters; `today` (China calendar day) decides "overdue" as the list does. */
  bills: (db: Exec, scope: Scope, f: ExportQuery, after: string | null, limit: number, today: string) => {
    let q = db
      .selectFrom('bills as b')
      .innerJoin('communities as c', 'c.id', 'b.community_id')
      .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
      .leftJoin('rooms as r', 'r.id', 'b.room_id')
      .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
      .select([
        'b.id',
        'c.name as community',
        'r.code as room',
        's.number as space',
        'f.name as fee_item',
        'b.period_label',
        'b.period_start_on',
        'b.period_end_on',
        'b.due_on',
        'b.amount_cents',
        'b.discount_cents',
        'b.waived_cents',
        'b.late_fee_cents',
        'b.paid_cents',
        'b.status',
        'b.issued_at',
      ]);
    if (scope !== null) q = q.where('b.community_id', 'in', scope);
    if (f.communityId) q = q.where('b.community_id', '=', f.communityId);
    if (f.buildingId) q = q.where('r.building_id', '=', f.buildingId);
    if (f.roomId) q = q.where('b.room_id', '=', f.roomId);
    if (f.feeItemId) q = q.where('b.fee_item_id', '=', f.feeItemId);
    if (f.periodLabel) q = q.where('b.period_label', '=', f.periodLabel);
    if (f.status) q = q.where('b.status', '=', f.status as never);
    if (f.overdue === true) q = q.where('b.status', '=', 'open').where('b.due_on', '<', today);
    if (f.overdue === false) q = q.where((eb) => eb.or([eb('b.status', '<>', 'open'), eb('b.due_on', '>=', today)]));
    if (after) q = q.where('b.id', '>', after);
    return q.orderBy('b.id').limit(limit).execute();
  },
};
