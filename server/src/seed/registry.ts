import type { FieldCipher } from '../core/crypto/field.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Db, Tx } from '../core/db/schema.js';
import { systemContext } from '../core/http/context.js';
import { peopleImport } from '../modules/people/index.js';
import { propertiesImport } from '../modules/properties/index.js';
import type { Services } from '../app.js';
import { chineseName, layout, mobile, plate, prng, residentId, type LayoutSpec, type Rand } from './registry-data.js';

type Relation = 'owner' | 'co_owner' | 'family_member' | 'tenant';
type NewPerson = Parameters<typeof peopleImport.preparePersons>[1][number];
type OccupancyRow = peopleImport.OccupancyRow;

export interface RegistrySeedDeps {
  services: Services;
  db: Db;
  cipher: FieldCipher;
  ids: IdGenerator;
  clock: Clock;
}

export interface CommunityPlan {
  code: string;
  layout: LayoutSpec;
  /** Building names: residential 1号楼, office towers A座 … */
  buildingName(code: string): string;
  deliveredOn: string;
  parkingSpaces: number;
  /** Share of delivered rooms that have an owner, and of owned residences let to a tenant. */
  ownedShare: number;
  tenantShare: number;
  companyOwners: number;
}

/** Demo people who are also demo portal users: their person record is linked to the account. */
export interface LinkedPerson {
  username: string;
  communityCode: string;
  roomCode: string;
  relation: Relation;
  name: string;
  gender: 'male' | 'female';
  phone: string;
}

export interface SeedCounters {
  rooms: number;
  persons: number;
  occupancies: number;
  vehicles: number;
  spaces: number;
}

function dateBetween(rand: Rand, from: string, to: string): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return new Date(a + Math.floor(rand() * (b - a))).toISOString().slice(0, 10);
}

/**
 * Seeds one community's registry: buildings, units, rooms, a parking lot with spaces, and the
 * people who own, share, live in and rent its rooms, with vehicles. Set-based: the registry's bulk
 * write functions (the same the Excel import uses: personal data encrypted with blind indexes, room
 * state following occupancy), one transaction per community, one audit entry with the counts.
 * `serialBase` keeps phone numbers, ID numbers and plates unique across communities.
 */
export async function seedCommunityRegistry(
  deps: RegistrySeedDeps,
  communityId: string,
  plan: CommunityPlan,
  serialBase: number,
  linked: LinkedPerson[] = [],
  maxPersons = Number.POSITIVE_INFINITY,
): Promise<SeedCounters & { linkedPersonIds: Map<string, string> }> {
  const rand = prng(serialBase + 17);
  const now = deps.clock.now().toISOString();
  const today = now.slice(0, 10);
  const buildings = new Map<string, propertiesImport.BuildingRow>();
  const units = new Map<string, propertiesImport.UnitRow>();
  const rooms: propertiesImport.RoomRow[] = [];
  for (const r of layout(plan.layout)) {
    let b = buildings.get(r.buildingCode);
    if (!b) {
      b = { id: deps.ids(), community_id: communityId, code: r.buildingCode, name: plan.buildingName(r.buildingCode), floors: plan.layout.floors, created_at: now, updated_at: now };
      buildings.set(r.buildingCode, b);
    }
    const unitKey = `${r.buildingCode}-${r.unitCode}`;
    let u = units.get(unitKey);
    if (!u) {
      u = { id: deps.ids(), community_id: communityId, building_id: b.id, code: r.unitCode, name: `${r.unitCode}单元`, created_at: now, updated_at: now };
      units.set(unitKey, u);
    }
    // A few rooms of every community are still with the developer (未售).
    const unsold = rand() < 0.04;
    rooms.push({
      id: deps.ids(),
      community_id: communityId,
      building_id: b.id,
      unit_id: u.id,
      number: r.number,
      code: r.code,
      sort_key: propertiesImport.roomSortKey(r.buildingCode, r.unitCode, r.number),
      floor: r.floor,
      building_area_dm2: r.buildingAreaDm2,
      inner_area_dm2: r.innerAreaDm2,
      use: r.use,
      state: unsold ? 'unsold' : 'vacant',
      delivered_on: unsold ? null : plan.deliveredOn,
      created_at: now,
      updated_at: now,
    });
  }

  const persons: NewPerson[] = [];
  const occupancies: OccupancyRow[] = [];
  const occupied: string[] = [];
  const rented: string[] = [];
  const linkedPersonIds = new Map<string, string>();
  const linkedByRoom = new Map(linked.map((l) => [l.roomCode, l]));
  let serial = serialBase;
  const newPerson = (gender: 'male' | 'female', name?: string, phone?: string, kind: 'individual' | 'company' = 'individual'): string => {
    const id = deps.ids();
    const s = serial++;
    persons.push({
      id,
      communityId,
      kind,
      name: name ?? (kind === 'company' ? `${chineseName(rand, gender).slice(0, 2)}${['科技', '贸易', '咨询', '传媒', '设计'][s % 5]}有限公司` : chineseName(rand, gender)),
      gender: kind === 'company' ? 'unknown' : gender,
      phone: phone ?? mobile(rand, s),
      idType: kind === 'company' ? 'business_licence' : 'resident_id',
      idNumber: kind === 'company' ? `91330106MA${String(s).padStart(7, '0')}X` : residentId(rand, s, gender),
      email: rand() < 0.3 ? `user${s}@example.com` : null,
      emergencyContact: null,
      emergencyPhone: null,
      notes: null,
    });
    return id;
  };
  const occupy = (personId: string, roomId: string, relation: Relation, movedInOn: string, primary: boolean) => {
    occupancies.push({
      id: deps.ids(),
      community_id: communityId,
      person_id: personId,
      room_id: roomId,
      parking_space_id: null,
      relation,
      primary_contact: primary ? 1 : 0,
      moved_in_on: movedInOn,
      moved_out_on: null,
      created_at: now,
      updated_at: now,
    });
  };

  // `driverId`: whose car and parking space the household has (the demo residents always have one).
  const households: { ownerId: string; driverId: string; roomId: string; since: string; demo: boolean }[] = [];
  for (const room of rooms) {
    if (persons.length >= maxPersons) break;
    const demo = linkedByRoom.get(room.code);
    if (room.state === 'unsold' || (!demo && rand() > plan.ownedShare)) continue;
    const since = dateBetween(rand, plan.deliveredOn, today);
    if (demo) room.state = 'vacant';
    const ownerGender = rand() < 0.55 ? 'male' : 'female';
    const company = !demo && plan.companyOwners > 0 && rand() < plan.companyOwners;
    let ownerId: string;
    if (demo && demo.relation === 'owner') {
      ownerId = newPerson(demo.gender, demo.name, demo.phone);
      linkedPersonIds.set(demo.username, ownerId);
    } else ownerId = newPerson(ownerGender, undefined, undefined, company ? 'company' : 'individual');
    const household = { ownerId, driverId: ownerId, roomId: room.id, since, demo: demo !== undefined };
    households.push(household);
    const isTenanted = (demo && demo.relation === 'tenant') || (!demo && room.use === 'residence' && rand() < plan.tenantShare);
    occupy(ownerId, room.id, 'owner', since, !isTenanted);
    if (company) {
      occupied.push(room.id);
      continue;
    }
    if (rand() < 0.35) occupy(newPerson(ownerGender === 'male' ? 'female' : 'male'), room.id, 'co_owner', since, false);
    if (isTenanted) {
      // The owner lives elsewhere; the tenant is the room's contact.
      const tenantSince = dateBetween(rand, since, today);
      const tenantId = demo ? newPerson(demo.gender, demo.name, demo.phone) : newPerson(rand() < 0.5 ? 'male' : 'female');
      if (demo) {
        linkedPersonIds.set(demo.username, tenantId);
        household.driverId = tenantId;
      }
      occupy(tenantId, room.id, 'tenant', tenantSince, true);
      rented.push(room.id);
      continue;
    }
    occupied.push(room.id);
    const family = room.use === 'residence' ? Math.floor(rand() * 3.2) : 0;
    for (let i = 0; i < family; i++) occupy(newPerson(rand() < 0.5 ? 'male' : 'female'), room.id, 'family_member', since, false);
  }

  // Parking: one lot, spaces mostly owned, some rented by the month, a few kept for visitors.
  const lot: propertiesImport.ParkingLotRow = { id: deps.ids(), community_id: communityId, code: 'B1', name: '地下停车场 B1', kind: 'underground', created_at: now, updated_at: now };
  const spaces: propertiesImport.ParkingSpaceRow[] = [];
  for (let i = 1; i <= plan.parkingSpaces; i++) {
    const draw = rand();
    spaces.push({
      id: deps.ids(),
      community_id: communityId,
      parking_lot_id: lot.id,
      number: `B1-${String(i).padStart(3, '0')}`,
      tenure: draw < 0.6 ? 'owned' : draw < 0.9 ? 'rented' : 'temporary',
      area_dm2: 1250 + (i % 3) * 50,
      state: 'vacant',
      created_at: now,
      updated_at: now,
    });
  }
  const vehicles: peopleImport.VehicleRow[] = [];
  let spaceIndex = 0;
  for (const h of households) {
    if (!h.demo && rand() > 0.5) continue;
    const space = spaces[spaceIndex];
    const hasSpace = space !== undefined && space.tenure !== 'temporary' && rand() < 0.8;
    if (hasSpace) {
      spaceIndex++;
      space.state = 'occupied';
      occupancies.push({
        id: deps.ids(),
        community_id: communityId,
        person_id: h.driverId,
        room_id: null,
        parking_space_id: space.id,
        relation: space.tenure === 'owned' ? 'owner' : 'tenant',
        primary_contact: 1,
        moved_in_on: h.since,
        moved_out_on: null,
        created_at: now,
        updated_at: now,
      });
    } else if (space?.tenure === 'temporary') spaceIndex++;
    vehicles.push({
      id: deps.ids(),
      community_id: communityId,
      // Communities draw plates from disjoint ranges of 10,000: plates are unique in the organisation.
      plate: plate(rand, Math.floor(serialBase / 100_000) * 10_000 + vehicles.length),
      person_id: h.driverId,
      parking_space_id: hasSpace ? space.id : null,
      brand: ['大众', '丰田', '本田', '比亚迪', '特斯拉', '吉利', '宝马', '奔驰'][Math.floor(rand() * 8)]!,
      color: ['白', '黑', '银', '灰', '蓝', '红'][Math.floor(rand() * 6)]!,
      created_at: now,
      updated_at: now,
    });
  }

  // CPU work (encryption, blind indexes) before the transaction opens.
  const personRows = peopleImport.preparePersons(deps.cipher, persons, now);
  for (const [username, personId] of linkedPersonIds) {
    const userId = await deps.services.users.idByUsername(username);
    const row = personRows.find((p) => p.id === personId);
    if (row && userId) row.user_id = userId;
  }
  const counters: SeedCounters = { rooms: rooms.length, persons: personRows.length, occupancies: occupancies.length, vehicles: vehicles.length, spaces: spaces.length };
  await deps.db.transaction().execute(async (tx: Tx) => {
    await propertiesImport.insertBuildings(tx, [...buildings.values()]);
    await propertiesImport.insertUnits(tx, [...units.values()]);
    await propertiesImport.insertRooms(tx, rooms);
    await propertiesImport.insertParkingLots(tx, [lot]);
    await propertiesImport.insertParkingSpaces(tx, spaces);
    await peopleImport.insertPersons(tx, personRows);
    await peopleImport.insertOccupancies(tx, occupancies);
    await peopleImport.insertVehicles(tx, vehicles);
    await propertiesImport.roomStatesFollowOccupancy(tx, { occupied, rented, now });
    await deps.services.audit.record(tx, systemContext('seed'), {
      action: 'seed.registry',
      entityType: 'community',
      entityId: communityId,
      communityId,
      after: { ...counters },
    });
  });
  return { ...counters, linkedPersonIds };
}
