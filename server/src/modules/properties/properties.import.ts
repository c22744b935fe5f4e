import { bulkInsert } from '../../core/db/bulk.js';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { BuildingTable, ParkingLotTable, ParkingSpaceTable, RoomTable, UnitTable } from './properties.tables.js';

/**
 * Bulk writes of the registry's property side for the Excel import (data-exchange module): set-based
 * multi-row inserts inside the importer's transaction. The importer has already validated every
 * row and resolved natural keys (building by code, unit by building + code, room by community +
 * code, lot by code, space by lot + number) against the same transaction, so these functions only
 * insert what is new. Owned by the data-exchange helper; lives here because only this module
 * writes its tables.
 */
export { parseArea, areaText } from './area.js';
export { roomSortKey } from './room-order.js';

export type BuildingRow = BuildingTable;
export type UnitRow = UnitTable;
export type RoomRow = RoomTable;
export type ParkingLotRow = ParkingLotTable;
export type ParkingSpaceRow = ParkingSpaceTable;

/** Prepared multi-row inserts (core/db/bulk.ts): multi-row VALUES on SQLite, unnest on PostgreSQL. */
export async function insertBuildings(tx: Tx, rows: BuildingRow[]): Promise<void> {
  await bulkInsert(tx, 'buildings', rows);
}

export async function insertUnits(tx: Tx, rows: UnitRow[]): Promise<void> {
  await bulkInsert(tx, 'units', rows);
}

export async function insertRooms(tx: Tx, rows: RoomRow[]): Promise<void> {
  await bulkInsert(tx, 'rooms', rows);
}

export async function insertParkingLots(tx: Tx, rows: ParkingLotRow[]): Promise<void> {
  await bulkInsert(tx, 'parking_lots', rows);
}

export async function insertParkingSpaces(tx: Tx, rows: ParkingSpaceRow[]): Promise<void> {
  await bulkInsert(tx, 'parking_spaces', rows);
}

/**
 * Room state follows occupancy (the people service's rule, applied to a whole batch): a tenant
 * moving in makes the room `rented`; an owner, co-owner or family member makes a vacant or unsold
 * room `occupied`. A room being renovated keeps `renovating` (the renovation restores its state).
 * Returns how many rooms changed state.
 */
export async function roomStatesFollowOccupancy(tx: Tx, input: { occupied: string[]; rented: string[]; now: string }): Promise<number> {
  let changed = 0;
  const rented = new Set(input.rented);
  const occupied = input.occupied.filter((id) => !rented.has(id));
  const size = 5_000;
  for (let i = 0; i < input.rented.length; i += size) {
    const r = await tx
      .updateTable('rooms')
      .set({ state: 'rented', updated_at: input.now })
      .where('id', 'in', input.rented.slice(i, i + size))
      .where('state', 'in', ['vacant', 'unsold', 'occupied'])
      .executeTakeFirst();
    changed += Number(r.numUpdatedRows);
  }
  for (let i = 0; i < occupied.length; i += size) {
    const r = await tx
      .updateTable('rooms')
      .set({ state: 'occupied', updated_at: input.now })
      .where('id', 'in', occupied.slice(i, i + size))
      .where('state', 'in', ['vacant', 'unsold'])
      .executeTakeFirst();
    changed += Number(r.numUpdatedRows);
  }
  return changed;
}

/**
 * A parking space someone moved into is `occupied` (the people service's rule for spaces); a space
 * marked `unavailable` stays so — closing a space is the operator's call. Returns how many changed.
 */
export async function spaceStatesFollowOccupancy(tx: Tx, input: { occupied: string[]; now: string }): Promise<number> {
  let changed = 0;
  for (let i = 0; i < input.occupied.length; i += 5_000) {
    const r = await tx
      .updateTable('parking_spaces')
      .set({ state: 'occupied', updated_at: input.now })
      .where('id', 'in', input.occupied.slice(i, i + 5_000))
      .where('state', '=', 'vacant')
      .executeTakeFirst();
    changed += Number(r.numUpdatedRows);
  }
  return changed;
}

/** Existing buildings of a community by code (for resolving an import's natural keys). */
export async function buildingsByCode(exec: Exec, communityId: string): Promise<Map<string, Pick<BuildingRow, 'id' | 'code' | 'name'>>> {
  const rows = await exec.selectFrom('buildings').select(['id', 'code', 'name']).where('community_id', '=', communityId).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/** Existing units of a community keyed "<building id>\u0000<unit code>". */
export async function unitsByKey(exec: Exec, communityId: string): Promise<Map<string, Pick<UnitRow, 'id' | 'building_id' | 'code' | 'name'>>> {
  const rows = await exec.selectFrom('units').select(['id', 'building_id', 'code', 'name']).where('community_id', '=', communityId).execute();
  return new Map(rows.map((r) => [`${r.building_id}\u0000${r.code}`, r]));
}

/** The rooms of a community whose codes are given, by code. */
export async function roomsByCode(
  exec: Exec,
  communityId: string,
  codes: string[],
): Promise<Map<string, Pick<RoomRow, 'id' | 'code' | 'unit_id' | 'number' | 'floor' | 'building_area_dm2' | 'inner_area_dm2' | 'use' | 'state' | 'delivered_on'>>> {
  const out = new Map<string, Pick<RoomRow, 'id' | 'code' | 'unit_id' | 'number' | 'floor' | 'building_area_dm2' | 'inner_area_dm2' | 'use' | 'state' | 'delivered_on'>>();
  const wanted = new Set(codes);
  const query = () =>
    exec
      .selectFrom('rooms')
      .select(['id', 'code', 'unit_id', 'number', 'floor', 'building_area_dm2', 'inner_area_dm2', 'use', 'state', 'delivered_on'])
      .where('community_id', '=', communityId);
  const keep = (rows: Awaited<ReturnType<ReturnType<typeof query>['execute']>>) => {
    for (const r of rows) if (wanted.has(r.code)) out.set(r.code, { ...r, building_area_dm2: Number(r.building_area_dm2), inner_area_dm2: r.inner_area_dm2 === null ? null : Number(r.inner_area_dm2) });
  };
  // A whole file of codes (an import of 100,000 people names nearly every room): one pass over the
  // community's rooms costs a fraction of as many index probes (0.1 s against 0.5 s at 100,000).
  if (wanted.size > 2_000) keep(await query().execute());
  else {
    const unique = [...wanted];
    for (let i = 0; i < unique.length; i += 5_000) keep(await query().where('code', 'in', unique.slice(i, i + 5_000)).execute());
  }
  return out;
}

export async function parkingLotsByCode(exec: Exec, communityId: string): Promise<Map<string, Pick<ParkingLotRow, 'id' | 'code' | 'name' | 'kind'>>> {
  const rows = await exec.selectFrom('parking_lots').select(['id', 'code', 'name', 'kind']).where('community_id', '=', communityId).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/** Existing spaces of a community keyed "<lot id>\u0000<number>". */
export async function parkingSpacesByKey(exec: Exec, communityId: string): Promise<Map<string, Pick<ParkingSpaceRow, 'id' | 'parking_lot_id' | 'number' | 'tenure' | 'area_dm2' | 'state'>>> {
  const rows = await exec
    .selectFrom('parking_spaces')
    .select(['id', 'parking_lot_id', 'number', 'tenure', 'area_dm2', 'state'])
    .where('community_id', '=', communityId)
    .execute();
  return new Map(rows.map((r) => [`${r.parking_lot_id}\u0000${r.number}`, { ...r, area_dm2: r.area_dm2 === null ? null : Number(r.area_dm2) }]));
}
