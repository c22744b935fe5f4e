import type { ImportKind, Locale } from '@courtyard/contracts';
import type { FieldCipher } from '../../core/crypto/field.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Exec, Tx } from '../../core/db/schema.js';
import { peopleImport } from '../people/index.js';
import { propertiesImport } from '../properties/index.js';
import { COLUMNS } from './formats.js';
import type { FileParser, ParkingRecord, PersonRecord, RoomRecord, RowError } from './parse.js';

/**
 * The database half of validation and the commit plan: natural keys resolved set-based (one
 * query per table, never per row) against `exec` — the connection for validation, the commit's
 * transaction for the commit, so what is written is what was checked.
 *
 * Rule for existing records (documented in the README): a record that exists with the same values
 * counts as `unchanged`; one that exists with different values is reported as
 * `import.exists_different` and nothing of the file is written. Imports never overwrite.
 */

export interface Plan {
  errors: RowError[];
  created: number;
  unchanged: number;
  /**
   * Writes the plan inside the commit transaction; `at` is the commit's time, which the new rows
   * carry (a plan made at validation may be written minutes later).
   */
  write(tx: Tx, at: string): Promise<{ buildings: number; units: number; rooms: number; lots: number; spaces: number; persons: number; occupancies: number; vehicles: number; roomStates: number; spaceStates: number }>;
}

export interface ResolveDeps {
  ids: IdGenerator;
  cipher: FieldCipher;
  now: string;
  communityId: string;
  locale: Locale;
}

/** Gives rows the commit's time: see {@link Plan.write}. */
function stamped<T extends { created_at: string; updated_at: string }>(rows: Iterable<T>, at: string): T[] {
  const out = [...rows];
  for (const r of out) {
    r.created_at = at;
    r.updated_at = at;
  }
  return out;
}

const ZERO = { buildings: 0, units: 0, rooms: 0, lots: 0, spaces: 0, persons: 0, occupancies: 0, vehicles: 0, roomStates: 0, spaceStates: 0 };

function differs(parser: FileParser, kind: ImportKind, keys: string[], locale: Locale): string {
  return keys
    .map((k) => {
      const col = COLUMNS[kind].find((c) => c.key === k)!;
      const at = parser.errorAt(0, k, 'import.exists_different');
      return at.header || (locale === 'zh-CN' ? col.zh : col.en);
    })
    .join(locale === 'zh-CN' ? '、' : ', ');
}

/**
 * Blind indexes (HMAC) of a file's phones and ID numbers, computed once per value and kept with
 * the parsed file: validation and the commit (and the rows written) use the same ones. Most are
 * computed on the seal worker while the file is still being read ({@link prefetchBlindIndexes});
 * resolving waits for those and computes any other here.
 */
const blindIndexes = new WeakMap<FileParser, { known: Map<string, string>; pending: Promise<void>[] }>();
function memoOf(parser: FileParser) {
  let memo = blindIndexes.get(parser);
  if (!memo) blindIndexes.set(parser, (memo = { known: new Map<string, string>(), pending: [] }));
  return memo;
}

async function indexer(parser: FileParser, cipher: FieldCipher): Promise<(plain: string) => string> {
  const { known, pending } = memoOf(parser);
  await Promise.all(pending.splice(0));
  return (plain) => {
    let idx = known.get(plain);
    if (idx === undefined) known.set(plain, (idx = cipher.blindIndex(plain)));
    return idx;
  };
}

/**
 * Whether resolving a file of this kind looks persons up by blind index: parking files name
 * their owners; people files match persons already registered, of which a community's first
 * import has none.
 */
export async function hashesNeeded(exec: Exec, kind: ImportKind, communityId: string): Promise<boolean> {
  if (kind === 'rooms') return false;
  return kind === 'parking' || (await peopleImport.communityHasPersons(exec, communityId));
}

/** Starts hashing the phones and ID numbers of records just parsed, off the main thread. */
export function prefetchBlindIndexes(parser: FileParser, cipher: FieldCipher, records: readonly (RoomRecord | PersonRecord | ParkingRecord)[]): void {
  if (parser.kind === 'rooms' || records.length === 0) return;
  const plains: string[] = [];
  if (parser.kind === 'people') {
    for (const r of records as PersonRecord[]) {
      if (r.idNumber !== null) plains.push(r.idNumber);
      if (r.phone !== null) plains.push(r.phone);
    }
  } else for (const r of records as ParkingRecord[]) if (r.owner) plains.push('phone' in r.owner ? r.owner.phone : r.owner.idNumber);
  const { known, pending } = memoOf(parser);
  pending.push(
    cipher.blindIndexManyOffThread(plains).then(
      (indexes) => plains.forEach((p, i) => known.set(p, indexes[i]!)),
      // Not fatal: resolving computes whatever is missing.
      () => undefined,
    ),
  );
}

export async function resolve(exec: Exec, parser: FileParser, deps: ResolveDeps): Promise<Plan> {
  if (parser.kind === 'rooms') return resolveRooms(exec, parser, parser.records as RoomRecord[], deps);
  if (parser.kind === 'people') return resolvePeople(exec, parser, parser.records as PersonRecord[], deps);
  return resolveParking(exec, parser, parser.records as ParkingRecord[], deps);
}

async function resolveRooms(exec: Exec, parser: FileParser, records: RoomRecord[], deps: ResolveDeps): Promise<Plan> {
  const { communityId, now } = deps;
  const errors: RowError[] = [];
  const buildings = await propertiesImport.buildingsByCode(exec, communityId);
  const units = await propertiesImport.unitsByKey(exec, communityId);
  const rooms = await propertiesImport.roomsByCode(
    exec,
    communityId,
    records.map((r) => r.code),
  );
  const newBuildings = new Map<string, propertiesImport.BuildingRow>();
  const newUnits = new Map<string, propertiesImport.UnitRow>();
  const newRooms: propertiesImport.RoomRow[] = [];
  let unchanged = 0;
  for (const r of records) {
    const existingBuilding = buildings.get(r.buildingCode);
    if (existingBuilding && r.buildingName !== null && existingBuilding.name !== r.buildingName) {
      errors.push(parser.errorAt(r.row, 'buildingName', 'import.exists_different', differs(parser, 'rooms', ['buildingName'], deps.locale)));
      continue;
    }
    let buildingId = existingBuilding?.id ?? newBuildings.get(r.buildingCode)?.id;
    if (!buildingId) {
      buildingId = deps.ids();
      newBuildings.set(r.buildingCode, { id: buildingId, community_id: communityId, code: r.buildingCode, name: r.buildingName ?? r.buildingCode, floors: null, created_at: now, updated_at: now });
    }
    const unitKey = `${buildingId}\u0000${r.unitCode}`;
    const existingUnit = units.get(unitKey);
    if (existingUnit && r.unitName !== null && existingUnit.name !== r.unitName) {
      errors.push(parser.errorAt(r.row, 'unitName', 'import.exists_different', differs(parser, 'rooms', ['unitName'], deps.locale)));
      continue;
    }
    let unitId = existingUnit?.id ?? newUnits.get(unitKey)?.id;
    if (!unitId) {
      unitId = deps.ids();
      newUnits.set(unitKey, { id: unitId, community_id: communityId, building_id: buildingId, code: r.unitCode, name: r.unitName ?? r.unitCode, created_at: now, updated_at: now });
    }
    const room = rooms.get(r.code);
    if (room) {
      // State is not compared: it follows occupancy and renovations once the room exists.
      const diff: string[] = [];
      if (room.floor !== r.floor) diff.push('floor');
      if (room.building_area_dm2 !== r.buildingAreaDm2) diff.push('buildingArea');
      if (r.innerAreaDm2 !== null && room.inner_area_dm2 !== r.innerAreaDm2) diff.push('innerArea');
      if (room.use !== r.use) diff.push('use');
      if (r.deliveredOn !== null && room.delivered_on !== r.deliveredOn) diff.push('deliveredOn');
      if (diff.length) errors.push(parser.errorAt(r.row, diff[0]!, 'import.exists_different', differs(parser, 'rooms', diff, deps.locale)));
      else unchanged += 1;
      continue;
    }
    newRooms.push({
      id: deps.ids(),
      community_id: communityId,
      building_id: buildingId,
      unit_id: unitId,
      number: r.number,
      code: r.code,
      sort_key: propertiesImport.roomSortKey(r.buildingCode, r.unitCode, r.number),
      floor: r.floor,
      building_area_dm2: r.buildingAreaDm2,
      inner_area_dm2: r.innerAreaDm2,
      use: r.use as propertiesImport.RoomRow['use'],
      state: r.state as propertiesImport.RoomRow['state'],
      delivered_on: r.deliveredOn,
      created_at: now,
      updated_at: now,
    });
  }
  return {
    errors,
    created: newRooms.length,
    unchanged,
    async write(tx, at) {
      await propertiesImport.insertBuildings(tx, stamped(newBuildings.values(), at));
      await propertiesImport.insertUnits(tx, stamped(newUnits.values(), at));
      await propertiesImport.insertRooms(tx, stamped(newRooms, at));
      return { ...ZERO, buildings: newBuildings.size, units: newUnits.size, rooms: newRooms.length };
    },
  };
}

async function resolvePeople(exec: Exec, parser: FileParser, records: PersonRecord[], deps: ResolveDeps): Promise<Plan> {
  const { communityId, now, cipher } = deps;
  const errors: RowError[] = [];
  const idIdx = new Map<PersonRecord, string>();
  const phoneIdx = new Map<PersonRecord, string>();
  // A community's first import has no one to match: its blind indexes are computed with the rows
  // at commit, on the seal worker beside the encryption (peopleImport.insertNewPersons).
  if (await hashesNeeded(exec, 'people', communityId)) {
    const blindIndex = await indexer(parser, cipher);
    for (const r of records) {
      if (r.idNumber !== null) idIdx.set(r, blindIndex(r.idNumber));
      if (r.phone !== null) phoneIdx.set(r, blindIndex(r.phone));
    }
  }
  const byId = new Map((await peopleImport.personsByIdNumber(exec, communityId, [...idIdx.values()])).map((p) => [p.id_number_idx!, p]));
  const byPhone = new Map<string, peopleImport.PersonMatch[]>();
  const phoneOnly = records.filter((r) => r.idNumber === null && r.phone !== null).map((r) => phoneIdx.get(r)!);
  for (const p of await peopleImport.personsByPhone(exec, communityId, phoneOnly)) byPhone.set(p.phone_idx!, [...(byPhone.get(p.phone_idx!) ?? []), p]);
  const rooms = await propertiesImport.roomsByCode(
    exec,
    communityId,
    records.flatMap((r) => (r.roomCode === null ? [] : [r.roomCode])),
  );

  const matched = new Map<PersonRecord, peopleImport.PersonMatch>();
  for (const r of records) {
    const found = r.idNumber !== null ? byId.get(idIdx.get(r)!) : byPhone.get(phoneIdx.get(r)!)?.find((p) => p.name === r.name);
    if (found) matched.set(r, found);
  }
  const occupancies = await peopleImport.roomOccupanciesOf(
    exec,
    [...matched.values()].map((p) => p.id),
  );
  const occByPerson = new Map<string, typeof occupancies>();
  for (const o of occupancies) occByPerson.set(o.person_id, [...(occByPerson.get(o.person_id) ?? []), o]);

  const newPersons: peopleImport.NewPerson[] = [];
  const newOccupancies: peopleImport.OccupancyRow[] = [];
  /** Rooms whose primary contact the file names. */
  const primaries: string[] = [];
  const occupied: string[] = [];
  const rented: string[] = [];
  let created = 0;
  let unchanged = 0;
  for (const r of records) {
    const room = r.roomCode === null ? undefined : rooms.get(r.roomCode);
    if (r.roomCode !== null && !room) {
      errors.push(parser.errorAt(r.row, 'roomCode', 'import.room_not_found'));
      continue;
    }
    const existing = matched.get(r);
    let personId: string;
    let rowCreated = false;
    if (existing) {
      if (r.idNumber !== null && existing.name !== r.name) {
        // The ID number is someone else's: never merge two people.
        errors.push(parser.errorAt(r.row, 'idNumber', 'import.exists_different', differs(parser, 'people', ['name'], deps.locale)));
        continue;
      }
      const diff: string[] = [];
      if (existing.kind !== r.kind) diff.push('kind');
      if (r.gender !== 'unknown' && existing.gender !== r.gender) diff.push('gender');
      if (r.phone !== null && existing.phone_idx !== phoneIdx.get(r)) diff.push('phone');
      if (r.email !== null && existing.email !== r.email) diff.push('email');
      if (diff.length) {
        errors.push(parser.errorAt(r.row, diff[0]!, 'import.exists_different', differs(parser, 'people', diff, deps.locale)));
        continue;
      }
      personId = existing.id;
    } else {
      personId = deps.ids();
      rowCreated = true;
      newPersons.push({
        id: personId,
        communityId,
        kind: r.kind as peopleImport.NewPerson['kind'],
        name: r.name,
        gender: r.gender as peopleImport.NewPerson['gender'],
        phone: r.phone,
        idType: r.idType as peopleImport.NewPerson['idType'],
        idNumber: r.idNumber,
        email: r.email,
        emergencyContact: r.emergencyContact,
        emergencyPhone: r.emergencyPhone,
        notes: r.notes,
        phoneIdx: phoneIdx.get(r),
        idNumberIdx: idIdx.get(r),
      });
    }
    if (room) {
      const history = existing ? (occByPerson.get(existing.id) ?? []) : [];
      const same = history.find((o) => o.room_id === room.id && o.relation === r.relation && o.moved_in_on === r.movedInOn);
      const current = history.find((o) => o.room_id === room.id && o.moved_out_on === null);
      if (!same && current) {
        // The same person cannot hold the same room twice at once.
        const diff = current.relation !== r.relation ? ['relation'] : ['movedInOn'];
        errors.push(parser.errorAt(r.row, diff[0]!, 'import.exists_different', differs(parser, 'people', diff, deps.locale)));
        continue;
      }
      if (!same) {
        const id = deps.ids();
        rowCreated = true;
        newOccupancies.push({
          id,
          community_id: communityId,
          person_id: personId,
          room_id: room.id,
          parking_space_id: null,
          relation: r.relation as peopleImport.OccupancyRow['relation'],
          primary_contact: r.primaryContact ? 1 : 0,
          moved_in_on: r.movedInOn!,
          moved_out_on: null,
          created_at: now,
          updated_at: now,
        });
        if (r.primaryContact) primaries.push(room.id);
        (r.relation === 'tenant' ? rented : occupied).push(room.id);
      }
    }
    if (rowCreated) created += 1;
    else unchanged += 1;
  }
  return {
    errors,
    created,
    unchanged,
    async write(tx, at) {
      await peopleImport.insertNewPersons(tx, cipher, newPersons, at);
      await peopleImport.clearPrimaryContacts(tx, primaries, at);
      await peopleImport.insertOccupancies(tx, stamped(newOccupancies, at));
      const roomStates = await propertiesImport.roomStatesFollowOccupancy(tx, { occupied, rented, now: at });
      return { ...ZERO, persons: newPersons.length, occupancies: newOccupancies.length, roomStates };
    },
  };
}

async function resolveParking(exec: Exec, parser: FileParser, records: ParkingRecord[], deps: ResolveDeps): Promise<Plan> {
  const { communityId, now, cipher } = deps;
  const errors: RowError[] = [];
  const lots = await propertiesImport.parkingLotsByCode(exec, communityId);
  const spaces = await propertiesImport.parkingSpacesByKey(exec, communityId);
  const vehicles = new Map((await peopleImport.vehiclesByPlate(exec, records.flatMap((r) => (r.plate === null ? [] : [r.plate])))).map((v) => [v.plate, v]));
  const ownerIdx = new Map<ParkingRecord, string>();
  const blindIndex = await indexer(parser, cipher);
  for (const r of records) if (r.owner) ownerIdx.set(r, blindIndex('phone' in r.owner ? r.owner.phone : r.owner.idNumber));
  const phoneOwners = records.filter((r) => r.owner && 'phone' in r.owner).map((r) => ownerIdx.get(r)!);
  const idOwners = records.filter((r) => r.owner && 'idNumber' in r.owner).map((r) => ownerIdx.get(r)!);
  const owners = new Map<string, string[]>();
  for (const p of [...(await peopleImport.personsByPhone(exec, communityId, phoneOwners)).map((p) => [p.phone_idx!, p.id] as const), ...(await peopleImport.personsByIdNumber(exec, communityId, idOwners)).map((p) => [p.id_number_idx!, p.id] as const)]) {
    owners.set(p[0], [...(owners.get(p[0]) ?? []), p[1]]);
  }

  const held = new Map<string, { spaceId: string; relation: string }[]>();
  const allOwners = [...new Set([...owners.values()].flat())];
  for (const o of await peopleImport.spaceOccupanciesOf(exec, allOwners)) held.set(o.person_id, [...(held.get(o.person_id) ?? []), { spaceId: o.parking_space_id!, relation: o.relation }]);

  const newLots = new Map<string, propertiesImport.ParkingLotRow>();
  const newSpaces = new Map<string, propertiesImport.ParkingSpaceRow>();
  const newVehicles: peopleImport.VehicleRow[] = [];
  const newOccupancies: peopleImport.OccupancyRow[] = [];
  const occupiedSpaces: string[] = [];
  const today = now.slice(0, 10);
  let created = 0;
  let unchanged = 0;
  for (const r of records) {
    const lot = lots.get(r.lotCode);
    if (lot) {
      const diff: string[] = [];
      if (r.lotName !== null && lot.name !== r.lotName) diff.push('lotName');
      if (r.lotKind !== null && lot.kind !== r.lotKind) diff.push('lotKind');
      if (diff.length) {
        errors.push(parser.errorAt(r.row, diff[0]!, 'import.exists_different', differs(parser, 'parking', diff, deps.locale)));
        continue;
      }
    }
    let ownerId: string | null = null;
    if (r.owner) {
      const ids = owners.get(ownerIdx.get(r)!) ?? [];
      if (ids.length === 0) {
        errors.push(parser.errorAt(r.row, 'owner', 'import.person_not_found'));
        continue;
      }
      if (ids.length > 1) {
        errors.push(parser.errorAt(r.row, 'owner', 'import.person_ambiguous'));
        continue;
      }
      ownerId = ids[0]!;
    }
    let rowCreated = false;
    let lotId = lot?.id ?? newLots.get(r.lotCode)?.id;
    if (!lotId) {
      lotId = deps.ids();
      rowCreated = true;
      newLots.set(r.lotCode, { id: lotId, community_id: communityId, code: r.lotCode, name: r.lotName ?? r.lotCode, kind: (r.lotKind ?? 'underground') as propertiesImport.ParkingLotRow['kind'], created_at: now, updated_at: now });
    }
    const spaceKey = `${lotId}\u0000${r.number}`;
    const space = spaces.get(spaceKey);
    let spaceId: string;
    if (space) {
      const diff: string[] = [];
      if (r.tenure !== null && space.tenure !== r.tenure) diff.push('tenure');
      if (r.areaDm2 !== null && space.area_dm2 !== r.areaDm2) diff.push('area');
      if (diff.length) {
        errors.push(parser.errorAt(r.row, diff[0]!, 'import.exists_different', differs(parser, 'parking', diff, deps.locale)));
        continue;
      }
      spaceId = space.id;
    } else {
      spaceId = deps.ids();
      rowCreated = true;
      newSpaces.set(spaceKey, {
        id: spaceId,
        community_id: communityId,
        parking_lot_id: lotId,
        number: r.number,
        tenure: (r.tenure ?? 'owned') as propertiesImport.ParkingSpaceRow['tenure'],
        area_dm2: r.areaDm2,
        state: (r.state ?? (r.plate !== null || ownerId !== null ? 'occupied' : 'vacant')) as propertiesImport.ParkingSpaceRow['state'],
        created_at: now,
        updated_at: now,
      });
    }
    if (ownerId !== null) {
      // The owner column names who holds the space: a person ↔ space occupancy (业主 of an owned
      // space, 租户 of a rented or temporary one) from the import day — the template has no date.
      // A current occupancy of the same person and space counts as unchanged whatever its date.
      const relation = (r.tenure ?? space?.tenure ?? 'owned') === 'owned' ? 'owner' : 'tenant';
      const current = held.get(ownerId)?.find((o) => o.spaceId === spaceId);
      if (current && current.relation !== relation) {
        errors.push(parser.errorAt(r.row, 'owner', 'import.exists_different', differs(parser, 'parking', ['tenure'], deps.locale)));
        continue;
      }
      if (!current) {
        rowCreated = true;
        newOccupancies.push({
          id: deps.ids(),
          community_id: communityId,
          person_id: ownerId,
          room_id: null,
          parking_space_id: spaceId,
          relation,
          primary_contact: 0,
          moved_in_on: today,
          moved_out_on: null,
          created_at: now,
          updated_at: now,
        });
        if (space) occupiedSpaces.push(spaceId);
      }
    }
    if (r.plate !== null) {
      const vehicle = vehicles.get(r.plate);
      if (vehicle && vehicle.community_id !== communityId) {
        errors.push(parser.errorAt(r.row, 'plate', 'import.plate_taken'));
        continue;
      }
      if (vehicle) {
        const diff: string[] = [];
        if (vehicle.parking_space_id !== spaceId) diff.push('number');
        if (ownerId !== null && vehicle.person_id !== ownerId) diff.push('owner');
        if (diff.length) {
          errors.push(parser.errorAt(r.row, 'plate', 'import.exists_different', differs(parser, 'parking', diff, deps.locale)));
          continue;
        }
      } else {
        rowCreated = true;
        newVehicles.push({ id: deps.ids(), community_id: communityId, plate: r.plate, person_id: ownerId, parking_space_id: spaceId, brand: r.brand, color: r.color, created_at: now, updated_at: now });
      }
    }
    if (rowCreated) created += 1;
    else unchanged += 1;
  }
  return {
    errors,
    created,
    unchanged,
    async write(tx, at) {
      await propertiesImport.insertParkingLots(tx, stamped(newLots.values(), at));
      await propertiesImport.insertParkingSpaces(tx, stamped(newSpaces.values(), at));
      await peopleImport.insertVehicles(tx, stamped(newVehicles, at));
      // A space's holder moves in on the import day: the day of the commit.
      for (const o of newOccupancies) o.moved_in_on = at.slice(0, 10);
      await peopleImport.insertOccupancies(tx, stamped(newOccupancies, at));
      const spaceStates = await propertiesImport.spaceStatesFollowOccupancy(tx, { occupied: occupiedSpaces, now: at });
      return { ...ZERO, lots: newLots.size, spaces: newSpaces.size, vehicles: newVehicles.length, occupancies: newOccupancies.length, spaceStates };
    },
  };
}
