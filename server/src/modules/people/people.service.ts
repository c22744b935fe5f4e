import type {
  CreateMoveChecklistBody,
  CreatePersonBody,
  CreateVehicleBody,
  MoveChecklist,
  MoveInBody,
  MyHome,
  Occupancy,
  Person,
  PersonListQuery,
  RevealBody,
  SearchHit,
  Tag,
  UpdateMoveChecklistBody,
  UpdatePersonBody,
  UpdateVehicleBody,
  Vehicle,
  VehicleListQuery,
} from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { Events } from '../../core/events/outbox.js';
import { maskIdNumber, maskPhone, type FieldCipher } from '../../core/crypto/field.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, type FieldError, fieldValue, forbidden, invalid, notFound } from '../../core/http/errors.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';

import { areaText, type PropertiesService } from '../properties/index.js';
import { checkResidentId, normaliseDocumentNumber, normalisePhone, normalisePlate, RESIDENT_ID_MESSAGES } from './checks.js';
import * as repo from './people.repository.js';
import type { IdType, MoveKind, PersonTable } from './people.tables.js';

type Page<T> = { items: T[]; nextCursor: string | null };
type ChecklistItem = MoveChecklist['items'][number];

export interface PeopleService {
  listPersons(ctx: RequestContext, query: PersonListQuery): Promise<Page<Person>>;
  getPerson(ctx: RequestContext, id: string): Promise<Person>;
  createPerson(ctx: RequestContext, body: CreatePersonBody): Promise<Person>;
  updatePerson(ctx: RequestContext, id: string, body: UpdatePersonBody): Promise<Person>;
  /** The clear value of one personal field; audited (field named, value never recorded). */
  reveal(ctx: RequestContext, id: string, body: RevealBody): Promise<{ value: string | null }>;

  occupanciesOfPerson(ctx: RequestContext, personId: string): Promise<Occupancy[]>;
  occupanciesOfRoom(ctx: RequestContext, roomId: string): Promise<Occupancy[]>;
  occupanciesOfSpace(ctx: RequestContext, spaceId: string): Promise<Occupancy[]>;
  moveIn(ctx: RequestContext, body: MoveInBody): Promise<Occupancy>;
  moveOut(ctx: RequestContext, id: string, movedOutOn: string): Promise<Occupancy>;
  setPrimaryContact(ctx: RequestContext, id: string): Promise<Occupancy>;

  listVehicles(ctx: RequestContext, query: VehicleListQuery): Promise<Page<Vehicle>>;
  createVehicle(ctx: RequestContext, body: CreateVehicleBody): Promise<Vehicle>;
  updateVehicle(ctx: RequestContext, id: string, body: UpdateVehicleBody): Promise<Vehicle>;
  deleteVehicle(ctx: RequestContext, id: string): Promise<void>;

  checklistsOfRoom(ctx: RequestContext, roomId: string): Promise<MoveChecklist[]>;
  createChecklist(ctx: RequestContext, body: CreateMoveChecklistBody): Promise<MoveChecklist>;
  updateChecklist(ctx: RequestContext, id: string, body: UpdateMoveChecklistBody): Promise<MoveChecklist>;
  completeChecklist(ctx: RequestContext, id: string): Promise<MoveChecklist>;

  search(ctx: RequestContext, q: string, limit: number): Promise<SearchHit[]>;
  myHome(ctx: RequestContext): Promise<MyHome>;

  /** For the tags inversion (properties.registerTaggable('person', …)) and other modules: each person's community. */
  communitiesOf(exec: Exec, personIds: readonly string[]): Promise<Map<string, string>>;
}

export interface PeopleDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  events: Events;
  cipher: FieldCipher;
  properties: Pick<PropertiesService, 'roomRef' | 'parkingSpaceRef' | 'setRoomState' | 'setParkingSpaceState' | 'communityExists'>;
  /** Tags of persons (properties.tagsOf(exec, 'person', ids)). */
  tagsOf(exec: Exec, personIds: readonly string[]): Promise<Map<string, Tag[]>>;
  /** Whether a user account exists (identity), for the portal link. */
  userExists(exec: Exec, userId: string): Promise<boolean>;
}

const READ = 'people.person.read';
const MANAGE = 'people.person.manage';
const REVEAL = 'people.person.reveal';

/**
 * Default items of the move-in (入伙) and move-out (迁出) checklists. "Bills settled" is ticked by
 * hand until billing exists and can tell whether the room owes anything.
 */
export const CHECKLIST_ITEMS: Record<MoveKind, { key: string; zh: string; en: string }[]> = {
  move_in: [
    { key: 'keys_handed_over', zh: '钥匙已交付', en: 'Keys handed over' },
    { key: 'meter_readings', zh: '水电气表读数已记录', en: 'Meter readings recorded' },
    { key: 'documents_signed', zh: '入伙文件已签署', en: 'Documents signed' },
    { key: 'decoration_rules', zh: '已告知装修管理规定', en: 'Decoration rules explained' },
    { key: 'access_cards_issued', zh: '门禁卡已发放', en: 'Access cards issued' },
    { key: 'contacts_registered', zh: '住户及紧急联系人已登记', en: 'Residents and emergency contact registered' },
  ],
  move_out: [
    { key: 'keys_returned', zh: '钥匙已交回', en: 'Keys returned' },
    { key: 'final_meter_readings', zh: '最终水电气表读数已记录', en: 'Final meter readings recorded' },
    { key: 'bills_settled', zh: '费用已结清（计费模块上线前人工确认）', en: 'Bills settled (confirmed by hand until billing exists)' },
    { key: 'access_cards_cancelled', zh: '门禁卡已注销', en: 'Access cards cancelled' },
  ],
};

const PHONE_MESSAGE = { en: 'mainland mobile number expected: 11 digits starting 13-19 (+86 allowed)', zh: '应为 11 位手机号，以 13–19 开头（可带 +86）' };

/** What the audit trail keeps of a person: personal numbers masked, never clear. */
function auditView(p: Person) {
  return { name: p.name, kind: p.kind, gender: p.gender, phone: p.phone, idType: p.idType, idNumber: p.idNumber, email: p.email, emergencyContact: p.emergencyContact, emergencyPhone: p.emergencyPhone, userId: p.userId };
}

function occupancyView(r: repo.OccupancyView): Occupancy {
  return {
    id: r.id,
    communityId: r.community_id,
    personId: r.person_id,
    personName: r.person_name,
    roomId: r.room_id,
    roomCode: r.room_code,
    parkingSpaceId: r.parking_space_id,
    parkingSpaceNumber: r.space_number,
    relation: r.relation,
    primaryContact: r.primary_contact === 1,
    movedInOn: r.moved_in_on,
    movedOutOn: r.moved_out_on,
  };
}

function vehicleView(r: repo.VehicleView): Vehicle {
  return {
    id: r.id,
    communityId: r.community_id,
    plate: r.plate,
    personId: r.person_id,
    personName: r.person_name,
    parkingSpaceId: r.parking_space_id,
    parkingSpaceNumber: r.space_number,
    brand: r.brand,
    color: r.color,
  };
}

function checklistView(r: repo.ChecklistRow): MoveChecklist {
  return {
    id: r.id,
    communityId: r.community_id,
    roomId: r.room_id,
    personId: r.person_id,
    occupancyId: r.occupancy_id,
    kind: r.kind,
    items: JSON.parse(r.items) as ChecklistItem[],
    state: r.state,
    completedAt: r.completed_at,
    createdAt: r.created_at,
  };
}

/** Unique-constraint violations of both drivers (a concurrent insert won the race). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Persons (业主/住户), occupancy (入住关系), vehicles, move checklists, the search box and the
 * portal's "my home". Personal numbers are stored encrypted with a blind index and leave this
 * service masked, except through `reveal`.
 */
export function createPeopleService(deps: PeopleDeps): PeopleService {
  const now = () => deps.clock.now().toISOString();
  const today = () => now().slice(0, 10);
  const dec = (v: string | null) => (v ? deps.cipher.decrypt(v) : null);

  async function personViews(rows: repo.PersonRow[]): Promise<Person[]> {
    const tags = rows.length ? await deps.tagsOf(deps.db, rows.map((r) => r.id)) : new Map<string, Tag[]>();
    return rows.map((r) => ({ ...personViewNoTags(r), tags: tags.get(r.id) ?? [] }));
  }
  const personView = async (r: repo.PersonRow) => (await personViews([r]))[0] as Person;

  /**
   * Validates and normalises the personal fields present in `input` into columns (encrypted +
   * blind index). Every problem is reported at once, each naming its field.
   */
  function personColumns(input: UpdatePersonBody, current: repo.PersonRow | undefined): Partial<PersonTable> {
    const errors: FieldError[] = [];
    const out: Partial<PersonTable> = {};
    if (input.kind !== undefined) out.kind = input.kind;
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (!name) errors.push(fieldError('/body/name', 'must not be blank', '不能为空'));
      out.name = name;
    }
    if (input.gender !== undefined) out.gender = input.gender;
    const phone = (field: string, value: string | null | undefined, enc: 'phone_enc' | 'emergency_phone_enc', idx?: 'phone_idx') => {
      if (value === undefined) return;
      if (value === null || value.trim() === '') {
        out[enc] = null;
        if (idx) out[idx] = null;
        return;
      }
      const normal = normalisePhone(value);
      if (!normal) return errors.push({ field, message: PHONE_MESSAGE });
      out[enc] = deps.cipher.encrypt(normal);
      if (idx) out[idx] = deps.cipher.blindIndex(normal);
    };
    phone('/body/phone', input.phone, 'phone_enc', 'phone_idx');
    phone('/body/emergencyPhone', input.emergencyPhone, 'emergency_phone_enc');
    if (input.idType !== undefined || input.idNumber !== undefined) {
      const idType: IdType | null = input.idType !== undefined ? input.idType : (current?.id_type ?? null);
      // A changed type re-checks the stored number under the new type's rules.
      const number = input.idNumber !== undefined ? input.idNumber : dec(current?.id_number_enc ?? null);
      if (number === null || number.trim() === '') {
        out.id_type = idType;
        out.id_number_enc = null;
        out.id_number_idx = null;
      } else {
        const type = idType ?? 'resident_id';
        let normal: string | undefined;
        if (type === 'resident_id') {
          const checked = checkResidentId(number, today());
          if ('problem' in checked) errors.push({ field: '/body/idNumber', message: RESIDENT_ID_MESSAGES[checked.problem] });
          else normal = checked.value;
        } else {
          normal = normaliseDocumentNumber(number);
          if (!normal) errors.push(fieldError('/body/idNumber', '4-32 letters, digits or hyphens', '应为 4–32 个字母、数字或连字符'));
        }
        out.id_type = type;
        if (normal) {
          out.id_number_enc = deps.cipher.encrypt(normal);
          out.id_number_idx = deps.cipher.blindIndex(normal);
        }
      }
    }
    if (input.email !== undefined) out.email = input.email?.trim() || null;
    if (input.emergencyContact !== undefined) out.emergency_contact = input.emergencyContact?.trim() || null;
    if (input.notes !== undefined) out.notes = input.notes?.trim() || null;
    if (input.userId !== undefined) out.user_id = input.userId;
    if (errors.length) throw new AppError('request.invalid', errors);
    return out;
  }

  async function checkPersonRefs(tx: Tx, communityId: string, personId: string | null, cols: Partial<PersonTable>) {
    if (cols.id_number_idx) {
      const holder = await repo.persons.idNumberHolder(tx, communityId, cols.id_number_idx);
      if (holder && holder.id !== personId) throw new AppError('people.id_number_taken', [fieldError('/body/idNumber', 'already registered for another person of this community', '已登记给本小区的其他人员')]);
    }
    if (cols.user_id && !(await deps.userExists(tx, cols.user_id))) throw invalid('/body/userId', 'no such user', '用户不存在');
  }

  const idNumberTaken = () => new AppError('people.id_number_taken', [fieldError('/body/idNumber', 'already registered for another person of this community', '已登记给本小区的其他人员')]);

  /**
   * The room's state follows who currently lives there: any tenant → rented, anyone → occupied,
   * nobody → vacant (an unsold room nobody moved into stays unsold). During a renovation
   * properties keeps `renovating` and applies this state when the works end.
   */
  async function syncRoomState(tx: Tx, ctx: RequestContext, roomId: string) {
    const room = await deps.properties.roomRef(tx, roomId);
    if (!room) return;
    const current = await repo.occupancies.current(tx, { roomId });
    const state = current.some((o) => o.relation === 'tenant') ? 'rented' : current.length ? 'occupied' : room.state === 'unsold' ? 'unsold' : 'vacant';
    await deps.properties.setRoomState(tx, ctx, roomId, state);
  }
  async function syncSpaceState(tx: Tx, ctx: RequestContext, spaceId: string) {
    const space = await deps.properties.parkingSpaceRef(tx, spaceId);
    // "unavailable" (closed for repair …) is the operator's call, never overridden by occupancy.
    if (!space || space.state === 'unavailable') return;
    const current = await repo.occupancies.current(tx, { parkingSpaceId: spaceId });
    await deps.properties.setParkingSpaceState(tx, ctx, spaceId, current.length ? 'occupied' : 'vacant');
  }

  async function loadOccupancy(exec: Exec, id: string) {
    const row = await repo.occupancies.viewById(exec, id);
    if (!row) throw notFound();
    return row;
  }

  async function vehicleRefs(tx: Tx, communityId: string, personId: string | null | undefined, spaceId: string | null | undefined) {
    if (personId) {
      const person = await repo.persons.byId(tx, personId);
      if (person?.community_id !== communityId) throw invalid('/body/personId', 'not a person of the vehicle’s community', '不是车辆所在小区的人员');
    }
    if (spaceId) {
      const space = await deps.properties.parkingSpaceRef(tx, spaceId);
      if (space?.communityId !== communityId) throw invalid('/body/parkingSpaceId', 'not a parking space of the vehicle’s community', '不是车辆所在小区的车位');
    }
  }
  function plateOf(value: string): string {
    const plate = normalisePlate(value);
    if (!plate) throw invalid('/body/plate', '5-10 characters: Chinese characters, letters and digits', '应为 5–10 个字符：汉字、字母或数字');
    return plate;
  }
  async function checkPlateFree(tx: Tx, plate: string, vehicleId: string | null) {
    const holder = await repo.vehicles.byPlate(tx, plate);
    if (holder && holder.id !== vehicleId) throw new AppError('people.plate_taken', [fieldError('/body/plate', 'already registered', '已登记')]);
  }

  async function loadChecklist(exec: Exec, ctx: RequestContext, id: string, permission: typeof READ | typeof MANAGE) {
    const row = await repo.checklists.byId(exec, id);
    if (!row) throw notFound();
    assertCan(ctx, permission, row.community_id);
    return row;
  }

  return {
    async listPersons(ctx, query) {
      const scope = scopeOf(ctx, READ);
      if (scope?.length === 0) return { items: [], nextCursor: null };
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.persons.list(deps.db, deps.dialect, { ...query, scope, after, limit });
      const page = pageOf(rows, limit, (r) => [r.name, r.id]);
      return { items: await personViews(page.items), nextCursor: page.nextCursor };
    },

    async getPerson(ctx, id) {
      const row = await repo.persons.byId(deps.db, id);
      if (!row) throw notFound();
      assertCan(ctx, READ, row.community_id);
      return personView(row);
    },

    async createPerson(ctx, body) {
      assertCan(ctx, MANAGE, body.communityId);
      const cols = personColumns(body, undefined);
      const id = deps.ids();
      const at = now();
      try {
        await deps.db.transaction().execute(async (tx) => {
          if (!(await deps.properties.communityExists(tx, body.communityId))) throw invalid('/body/communityId', 'no such community', '小区不存在');
          await checkPersonRefs(tx, body.communityId, null, cols);
          const row = {
            id,
            community_id: body.communityId,
            kind: body.kind,
            name: cols.name ?? body.name,
            gender: body.gender ?? 'unknown',
            phone_enc: cols.phone_enc ?? null,
            phone_idx: cols.phone_idx ?? null,
            id_type: cols.id_type ?? null,
            id_number_enc: cols.id_number_enc ?? null,
            id_number_idx: cols.id_number_idx ?? null,
            email: cols.email ?? null,
            emergency_contact: cols.emergency_contact ?? null,
            emergency_phone_enc: cols.emergency_phone_enc ?? null,
            notes: cols.notes ?? null,
            user_id: cols.user_id ?? null,
            created_at: at,
            updated_at: at,
          };
          await repo.persons.insert(tx, row);
          await deps.audit.record(tx, ctx, { action: 'people.person.create', entityType: 'person', entityId: id, communityId: body.communityId, after: auditView(personViewNoTags(row)) });
          await deps.events.emit(tx, { type: 'people.person.created', payload: { personId: id, communityId: body.communityId, kind: body.kind }, communityId: body.communityId });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw idNumberTaken();
        throw err;
      }
      return this.getPerson(ctx, id);
    },

    async updatePerson(ctx, id, body) {
      try {
        await deps.db.transaction().execute(async (tx) => {
          const before = await repo.persons.byId(tx, id);
          if (!before) throw notFound();
          assertCan(ctx, MANAGE, before.community_id);
          const cols = personColumns(body, before);
          await checkPersonRefs(tx, before.community_id, id, cols);
          const after = { ...before, ...cols, updated_at: now() };
          await repo.persons.update(tx, id, { ...cols, updated_at: after.updated_at });
          await deps.audit.record(tx, ctx, {
            action: 'people.person.update',
            entityType: 'person',
            entityId: id,
            communityId: before.community_id,
            before: auditView(personViewNoTags(before)),
            after: auditView(personViewNoTags(after)),
          });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw idNumberTaken();
        throw err;
      }
      return this.getPerson(ctx, id);
    },

    async reveal(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const row = await repo.persons.byId(tx, id);
        if (!row) throw notFound();
        assertCan(ctx, REVEAL, row.community_id);
        const column = body.field === 'phone' ? row.phone_enc : body.field === 'idNumber' ? row.id_number_enc : row.emergency_phone_enc;
        // The audit names the field, never the value: the trail must not become a copy of the data.
        await deps.audit.record(tx, ctx, { action: 'people.person.reveal', entityType: 'person', entityId: id, communityId: row.community_id, after: { field: body.field } });
        return { value: dec(column) };
      });
    },

    async occupanciesOfPerson(ctx, personId) {
      const person = await repo.persons.byId(deps.db, personId);
      if (!person) throw notFound();
      assertCan(ctx, READ, person.community_id);
      return (await repo.occupancies.of(deps.db, 'person_id', personId)).map(occupancyView);
    },
    async occupanciesOfRoom(ctx, roomId) {
      const room = await deps.properties.roomRef(deps.db, roomId);
      if (!room) throw notFound();
      assertCan(ctx, READ, room.communityId);
      return (await repo.occupancies.of(deps.db, 'room_id', roomId)).map(occupancyView);
    },
    async occupanciesOfSpace(ctx, spaceId) {
      const space = await deps.properties.parkingSpaceRef(deps.db, spaceId);
      if (!space) throw notFound();
      assertCan(ctx, READ, space.communityId);
      return (await repo.occupancies.of(deps.db, 'parking_space_id', spaceId)).map(occupancyView);
    },

    async moveIn(ctx, body) {
      if ((body.roomId === undefined) === (body.parkingSpaceId === undefined)) throw invalid('/body/roomId', 'give exactly one of roomId and parkingSpaceId', '房屋和车位须填且只填一项');
      const id = deps.ids();
      await deps.db.transaction().execute(async (tx) => {
        const person = await repo.persons.byId(tx, body.personId);
        if (!person) throw invalid('/body/personId', 'no such person', '人员不存在');
        assertCan(ctx, MANAGE, person.community_id);
        const target = body.roomId !== undefined ? await deps.properties.roomRef(tx, body.roomId) : await deps.properties.parkingSpaceRef(tx, body.parkingSpaceId as string);
        const field = body.roomId !== undefined ? '/body/roomId' : '/body/parkingSpaceId';
        if (!target) throw invalid(field, 'no such room or parking space', '房屋或车位不存在');
        // A person record belongs to one community; living elsewhere needs a record there.
        if (target.communityId !== person.community_id) throw invalid(field, 'in another community than the person', '与该人员不在同一小区');
        const current = await repo.occupancies.current(tx, body.roomId !== undefined ? { roomId: body.roomId } : { parkingSpaceId: body.parkingSpaceId as string });
        // Co-owners and families share a room; the same person twice at once is a mistake.
        if (current.some((o) => o.person_id === person.id)) throw new AppError('people.already_occupying', [fieldError('/body/personId', 'already a current occupant', '已是当前住户')]);
        const at = now();
        // Exactly one current primary contact per room: the first occupant is it unless someone is named.
        const primary = body.roomId !== undefined && (body.primaryContact === true || !current.some((o) => o.primary_contact === 1));
        await repo.occupancies.insert(tx, {
          id,
          community_id: person.community_id,
          person_id: person.id,
          room_id: body.roomId ?? null,
          parking_space_id: body.parkingSpaceId ?? null,
          relation: body.relation,
          primary_contact: primary ? 1 : 0,
          moved_in_on: body.movedInOn,
          moved_out_on: null,
          created_at: at,
          updated_at: at,
        });
        if (body.roomId !== undefined) {
          if (primary) await repo.occupancies.clearPrimary(tx, body.roomId, id, at);
          await syncRoomState(tx, ctx, body.roomId);
        } else await syncSpaceState(tx, ctx, body.parkingSpaceId as string);
        const view = occupancyView(await loadOccupancy(tx, id));
        await deps.audit.record(tx, ctx, { action: 'people.occupancy.move_in', entityType: 'occupancy', entityId: id, communityId: person.community_id, after: view });
        await deps.events.emit(tx, {
          type: 'people.occupancy.moved_in',
          payload: { occupancyId: id, personId: person.id, roomId: view.roomId, parkingSpaceId: view.parkingSpaceId, relation: view.relation, movedInOn: view.movedInOn },
          communityId: person.community_id,
        });
      });
      return occupancyView(await loadOccupancy(deps.db, id));
    },

    async moveOut(ctx, id, movedOutOn) {
      await deps.db.transaction().execute(async (tx) => {
        const before = await loadOccupancy(tx, id);
        assertCan(ctx, MANAGE, before.community_id);
        if (before.moved_out_on !== null) throw new AppError('people.occupancy_ended');
        if (movedOutOn < before.moved_in_on) throw invalid('/body/movedOutOn', `must be on or after the move-in date ${before.moved_in_on}`, `不能早于入住日期 ${before.moved_in_on}`);
        const at = now();
        // Never deleted: the ended row is the room's history.
        await repo.occupancies.update(tx, id, { moved_out_on: movedOutOn, updated_at: at });
        if (before.room_id !== null) {
          if (before.primary_contact === 1) {
            // The room keeps a primary contact while anyone lives there: owners first, then the longest resident.
            const rest = await repo.occupancies.current(tx, { roomId: before.room_id });
            const rank = (r: repo.OccupancyRow) => (r.relation === 'owner' ? 0 : r.relation === 'co_owner' ? 1 : r.relation === 'tenant' ? 2 : 3);
            const next = rest.sort((a, b) => rank(a) - rank(b) || a.moved_in_on.localeCompare(b.moved_in_on) || a.id.localeCompare(b.id))[0];
            if (next) await repo.occupancies.update(tx, next.id, { primary_contact: 1, updated_at: at });
          }
          await syncRoomState(tx, ctx, before.room_id);
        } else if (before.parking_space_id !== null) await syncSpaceState(tx, ctx, before.parking_space_id);
        await deps.audit.record(tx, ctx, {
          action: 'people.occupancy.move_out',
          entityType: 'occupancy',
          entityId: id,
          communityId: before.community_id,
          before: { movedOutOn: null },
          after: { movedOutOn, personId: before.person_id, roomId: before.room_id, parkingSpaceId: before.parking_space_id },
        });
        await deps.events.emit(tx, {
          type: 'people.occupancy.moved_out',
          payload: { occupancyId: id, personId: before.person_id, roomId: before.room_id, parkingSpaceId: before.parking_space_id, relation: before.relation, movedOutOn },
          communityId: before.community_id,
        });
      });
      return occupancyView(await loadOccupancy(deps.db, id));
    },

    async setPrimaryContact(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await loadOccupancy(tx, id);
        assertCan(ctx, MANAGE, row.community_id);
        if (row.moved_out_on !== null) throw new AppError('people.occupancy_ended');
        if (row.room_id === null) throw invalid('/params/id', 'primary contacts are kept for rooms, not parking spaces', '只有房屋设主要联系人，车位不设');
        if (row.primary_contact === 1) return;
        const at = now();
        await repo.occupancies.clearPrimary(tx, row.room_id, id, at);
        await repo.occupancies.update(tx, id, { primary_contact: 1, updated_at: at });
        await deps.audit.record(tx, ctx, { action: 'people.occupancy.primary_contact', entityType: 'occupancy', entityId: id, communityId: row.community_id, after: { roomId: row.room_id, personId: row.person_id } });
      });
      return occupancyView(await loadOccupancy(deps.db, id));
    },

    async listVehicles(ctx, query) {
      const scope = scopeOf(ctx, READ);
      if (scope?.length === 0) return { items: [], nextCursor: null };
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 1)?.[0];
      const q = query.q === undefined ? undefined : query.q.replace(/[\s·•.-]/g, '').toUpperCase();
      const rows = await repo.vehicles.list(deps.db, deps.dialect, { ...query, q: q || undefined, scope, after: after === undefined ? undefined : String(after), limit });
      const page = pageOf(rows, limit, (r) => [r.plate]);
      return { items: page.items.map(vehicleView), nextCursor: page.nextCursor };
    },

    async createVehicle(ctx, body) {
      assertCan(ctx, MANAGE, body.communityId);
      const plate = plateOf(body.plate);
      const id = deps.ids();
      try {
        await deps.db.transaction().execute(async (tx) => {
          if (!(await deps.properties.communityExists(tx, body.communityId))) throw invalid('/body/communityId', 'no such community', '小区不存在');
          await checkPlateFree(tx, plate, null);
          await vehicleRefs(tx, body.communityId, body.personId, body.parkingSpaceId);
          const at = now();
          const row = {
            id,
            community_id: body.communityId,
            plate,
            person_id: body.personId ?? null,
            parking_space_id: body.parkingSpaceId ?? null,
            brand: body.brand?.trim() || null,
            color: body.color?.trim() || null,
            created_at: at,
            updated_at: at,
          };
          await repo.vehicles.insert(tx, row);
          await deps.audit.record(tx, ctx, { action: 'people.vehicle.create', entityType: 'vehicle', entityId: id, communityId: body.communityId, after: { plate, personId: row.person_id, parkingSpaceId: row.parking_space_id, brand: row.brand, color: row.color } });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('people.plate_taken', [fieldError('/body/plate', 'already registered', '已登记')]);
        throw err;
      }
      return vehicleView((await repo.vehicles.viewById(deps.db, id)) as repo.VehicleView);
    },

    async updateVehicle(ctx, id, body) {
      try {
        await deps.db.transaction().execute(async (tx) => {
          const before = await repo.vehicles.byId(tx, id);
          if (!before) throw notFound();
          assertCan(ctx, MANAGE, before.community_id);
          const patch = {
            ...(body.plate !== undefined ? { plate: plateOf(body.plate) } : {}),
            ...(body.personId !== undefined ? { person_id: body.personId } : {}),
            ...(body.parkingSpaceId !== undefined ? { parking_space_id: body.parkingSpaceId } : {}),
            ...(body.brand !== undefined ? { brand: body.brand?.trim() || null } : {}),
            ...(body.color !== undefined ? { color: body.color?.trim() || null } : {}),
          };
          if (patch.plate !== undefined) await checkPlateFree(tx, patch.plate, id);
          await vehicleRefs(tx, before.community_id, patch.person_id, patch.parking_space_id);
          await repo.vehicles.update(tx, id, { ...patch, updated_at: now() });
          const pick = (v: repo.VehicleRow) => ({ plate: v.plate, personId: v.person_id, parkingSpaceId: v.parking_space_id, brand: v.brand, color: v.color });
          await deps.audit.record(tx, ctx, { action: 'people.vehicle.update', entityType: 'vehicle', entityId: id, communityId: before.community_id, before: pick(before), after: pick({ ...before, ...patch }) });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('people.plate_taken', [fieldError('/body/plate', 'already registered', '已登记')]);
        throw err;
      }
      return vehicleView((await repo.vehicles.viewById(deps.db, id)) as repo.VehicleView);
    },

    async deleteVehicle(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const before = await repo.vehicles.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, MANAGE, before.community_id);
        await repo.vehicles.delete(tx, id);
        await deps.audit.record(tx, ctx, { action: 'people.vehicle.delete', entityType: 'vehicle', entityId: id, communityId: before.community_id, before: { plate: before.plate, personId: before.person_id, parkingSpaceId: before.parking_space_id } });
      });
    },

    async checklistsOfRoom(ctx, roomId) {
      const room = await deps.properties.roomRef(deps.db, roomId);
      if (!room) throw notFound();
      assertCan(ctx, READ, room.communityId);
      return (await repo.checklists.ofRoom(deps.db, roomId)).map(checklistView);
    },

    async createChecklist(ctx, body) {
      const id = deps.ids();
      await deps.db.transaction().execute(async (tx) => {
        const room = await deps.properties.roomRef(tx, body.roomId);
        if (!room) throw invalid('/body/roomId', 'no such room', '房屋不存在');
        assertCan(ctx, MANAGE, room.communityId);
        const person = await repo.persons.byId(tx, body.personId);
        if (person?.community_id !== room.communityId) throw invalid('/body/personId', 'not a person of the room’s community', '不是房屋所在小区的人员');
        if (body.occupancyId) {
          const occ = await repo.occupancies.byId(tx, body.occupancyId);
          if (occ?.room_id !== room.id || occ.person_id !== person.id) throw invalid('/body/occupancyId', 'not an occupancy of this person in this room', '不是该人员在此房屋的房屋关系');
        }
        const items: ChecklistItem[] = CHECKLIST_ITEMS[body.kind].map((i) => ({ key: i.key, label: ctx.locale === 'en-US' ? i.en : i.zh, done: false, note: null }));
        const at = now();
        await repo.checklists.insert(tx, {
          id,
          community_id: room.communityId,
          room_id: room.id,
          person_id: person.id,
          occupancy_id: body.occupancyId ?? null,
          kind: body.kind,
          items: JSON.stringify(items),
          state: 'open',
          completed_by: null,
          completed_at: null,
          created_at: at,
          updated_at: at,
        });
        await deps.audit.record(tx, ctx, { action: 'people.checklist.create', entityType: 'move_checklist', entityId: id, communityId: room.communityId, after: { kind: body.kind, roomId: room.id, personId: person.id } });
      });
      return checklistView((await repo.checklists.byId(deps.db, id)) as repo.ChecklistRow);
    },

    async updateChecklist(ctx, id, body) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await loadChecklist(tx, ctx, id, MANAGE);
        if (row.state === 'completed') throw new AppError('people.checklist_completed');
        const items = JSON.parse(row.items) as ChecklistItem[];
        const errors: FieldError[] = [];
        body.items.forEach((change, i) => {
          const item = items.find((it) => it.key === change.key);
          if (!item) return errors.push(fieldError(`/body/items/${i}/key`, `no item "${change.key}" in this checklist`, `此清单中没有“${change.key}”这一项`));
          if (change.done !== undefined) item.done = change.done;
          if (change.note !== undefined) item.note = change.note?.trim() || null;
        });
        if (errors.length) throw new AppError('request.invalid', errors);
        await repo.checklists.update(tx, id, { items: JSON.stringify(items), updated_at: now() });
        await deps.audit.record(tx, ctx, { action: 'people.checklist.update', entityType: 'move_checklist', entityId: id, communityId: row.community_id, before: JSON.parse(row.items) as unknown, after: items });
      });
      return checklistView((await repo.checklists.byId(deps.db, id)) as repo.ChecklistRow);
    },

    async completeChecklist(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await loadChecklist(tx, ctx, id, MANAGE);
        if (row.state === 'completed') throw new AppError('people.checklist_completed');
        const open = (JSON.parse(row.items) as ChecklistItem[]).filter((i) => !i.done);
        if (open.length) throw new AppError('people.checklist_incomplete', open.map((i) => fieldValue(`/items/${i.key}`, i.label)));
        const at = now();
        await repo.checklists.update(tx, id, { state: 'completed', completed_by: ctx.actor.userId, completed_at: at, updated_at: at });
        await deps.audit.record(tx, ctx, { action: 'people.checklist.complete', entityType: 'move_checklist', entityId: id, communityId: row.community_id, after: { kind: row.kind, roomId: row.room_id, personId: row.person_id } });
      });
      return checklistView((await repo.checklists.byId(deps.db, id)) as repo.ChecklistRow);
    },

    async search(ctx, rawQ, limit) {
      const q = rawQ.trim();
      if (!q) return [];
      const personScope = scopeOf(ctx, READ);
      const roomScope = scopeOf(ctx, 'properties.room.read');
      if (personScope?.length === 0 && roomScope?.length === 0) return [];

      // The search box is typed into all day by every service desk: each statement below runs only
      // when it can find something, and persons are read without the columns a hit does not show.
      const persons = new Map<string, repo.PersonHitRow>();
      const vehicles: repo.VehicleView[] = [];
      let rooms: Awaited<ReturnType<typeof repo.registry.roomsByCode>> = [];
      if (personScope === null || personScope.length) {
        const phone = normalisePhone(q);
        if (phone) for (const p of await repo.persons.searchByIndex(deps.db, 'phone_idx', deps.cipher.blindIndex(phone), personScope, limit)) persons.set(p.id, p);
        const resident = checkResidentId(q, today());
        const doc = 'value' in resident ? resident.value : normaliseDocumentNumber(q);
        if (doc && doc.length >= 6) for (const p of await repo.persons.searchByIndex(deps.db, 'id_number_idx', deps.cipher.blindIndex(doc), personScope, limit)) persons.set(p.id, p);
        for (const p of await repo.persons.searchByName(deps.db, deps.dialect, personScope, q, limit)) persons.set(p.id, p);
        const plate = q.replace(/[\s·•.-]/g, '').toUpperCase();
        if (plate.length >= 2) vehicles.push(...(await repo.vehicles.searchByPlate(deps.db, deps.dialect, personScope, plate, limit)));
      }
      if ((roomScope === null || roomScope.length) && /^[0-9A-Za-z][0-9A-Za-z-]*$/.test(q)) {
        // "All communities" becomes the explicit list so the lookup runs on the (community, code) index.
        const communities = roomScope ?? (await repo.registry.allCommunityIds(deps.db));
        if (communities.length) rooms = await repo.registry.roomsByCode(deps.db, deps.dialect, communities, q, limit);
      }

      const personList = [...persons.values()];
      const codes = new Map<string, string[]>();
      if (personList.length) {
        for (const r of await repo.registry.currentRoomCodes(deps.db, personList.map((p) => p.id))) {
          const list = codes.get(r.person_id);
          if (list) list.push(r.code);
          else codes.set(r.person_id, [r.code]);
        }
      }
      const communityIds = [...new Set(vehicles.map((v) => v.community_id))];
      const names = new Map(communityIds.length ? (await repo.registry.communityNames(deps.db, communityIds)).map((c) => [c.id, c.name]) : []);
      const hits: SearchHit[] = [
        ...personList.map((p): SearchHit => {
          const phone = dec(p.phone_enc);
          return { kind: 'person', id: p.id, communityId: p.community_id, title: p.name, subtitle: [phone ? maskPhone(phone) : null, ...(codes.get(p.id) ?? [])].filter(Boolean).join(' · ') };
        }),
        ...rooms.map((r): SearchHit => ({ kind: 'room', id: r.id, communityId: r.community_id, title: r.code, subtitle: r.community_name, roomState: r.state })),
        ...vehicles.map((v): SearchHit => ({ kind: 'vehicle', id: v.id, communityId: v.community_id, title: v.plate, subtitle: [v.person_name, names.get(v.community_id)].filter(Boolean).join(' · '), personId: v.person_id })),
      ];
      return hits.slice(0, limit);
    },

    async myHome(ctx) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      const mine = await repo.persons.byUser(deps.db, userId);
      const personIds = mine.map((p) => p.id);
      // Only current occupancies: a tenant who moved out no longer sees the room or its household.
      const current = await repo.occupancies.currentOfPersons(deps.db, personIds);
      const roomOcc = current.filter((o) => o.room_id !== null);
      const spaceOcc = current.filter((o) => o.parking_space_id !== null);
      const roomIds = [...new Set(roomOcc.map((o) => o.room_id as string))];
      const [rooms, household, spaces, vehicles] = await Promise.all([
        repo.registry.roomsForHome(deps.db, roomIds),
        repo.occupancies.householdOf(deps.db, roomIds),
        repo.registry.spacesWithLot(deps.db, spaceOcc.map((o) => o.parking_space_id as string)),
        repo.vehicles.ofPersons(deps.db, personIds),
      ]);
      const roomById = new Map(rooms.map((r) => [r.id, r]));
      const spaceById = new Map(spaces.map((s) => [s.id, s]));
      const seen = new Set<string>();
      return {
        rooms: roomOcc.flatMap((o) => {
          const room = roomById.get(o.room_id as string);
          if (!room || seen.has(room.id)) return [];
          seen.add(room.id);
          return [
            {
              id: room.id,
              communityName: room.community_name,
              code: room.code,
              use: room.use,
              state: room.state,
              buildingArea: areaText(room.building_area_dm2),
              relation: o.relation,
              movedInOn: o.moved_in_on,
              household: household
                .filter((h) => h.room_id === room.id)
                .map((h) => {
                  const phone = dec(h.phone_enc);
                  return { name: h.name, relation: h.relation, phone: phone === null ? null : maskPhone(phone) };
                }),
            },
          ];
        }),
        vehicles: vehicles.map((v) => ({ plate: v.plate, parkingSpaceNumber: v.space_number })),
        parkingSpaces: spaceOcc.flatMap((o) => {
          const s = spaceById.get(o.parking_space_id as string);
          return s ? [{ id: s.id, number: s.number, lot: s.lot_name, relation: o.relation }] : [];
        }),
      };
    },

    async communitiesOf(exec, personIds) {
      return new Map((await repo.persons.communities(exec, personIds)).map((r) => [r.id, r.community_id]));
    },
  };

  /** The masked view without tags (inside transactions, for the audit trail). */
  function personViewNoTags(r: repo.PersonRow): Person {
    const phone = dec(r.phone_enc);
    const idNumber = dec(r.id_number_enc);
    const emergency = dec(r.emergency_phone_enc);
    return {
      id: r.id,
      communityId: r.community_id,
      kind: r.kind,
      name: r.name,
      gender: r.gender,
      phone: phone === null ? null : maskPhone(phone),
      idType: r.id_type,
      idNumber: idNumber === null ? null : maskIdNumber(idNumber),
      email: r.email,
      emergencyContact: r.emergency_contact,
      emergencyPhone: emergency === null ? null : maskPhone(emergency),
      notes: r.notes,
      userId: r.user_id,
      tags: [],
      createdAt: r.created_at,
    };
  }
}
