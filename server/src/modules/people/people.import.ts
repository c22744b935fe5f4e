import type { FieldCipher } from '../../core/crypto/field.js';
import { bulkInsert } from '../../core/db/bulk.js';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { Gender, IdType, OccupancyTable, PersonKind, PersonTable, Relation, VehicleTable } from './people.tables.js';

/**
 * Bulk writes of the registry's people side for the Excel import (data-exchange module): set-based
 * multi-row inserts inside the importer's transaction, and the batch lookups it resolves natural
 * keys with (person by community + ID number, else community + phone + name; occupancy by person,
 * room, relation, moved-in date; vehicle by plate). Personal data is encrypted here, the same way
 * the people service does it (ciphertext + keyed blind index), so search and reveal work on
 * imported persons. Owned by the data-exchange helper; lives here because only this module writes
 * its tables.
 */
export { normalisePhone, checkResidentId, normaliseDocumentNumber, normalisePlate } from './checks.js';

export type PersonRow = PersonTable;
export type OccupancyRow = OccupancyTable;
export type VehicleRow = VehicleTable;

export interface NewPerson {
  id: string;
  communityId: string;
  kind: PersonKind;
  name: string;
  gender: Gender;
  /** Normalised clear values; encrypted by {@link preparePersons}. */
  phone: string | null;
  idType: IdType | null;
  idNumber: string | null;
  email: string | null;
  emergencyContact: string | null;
  emergencyPhone: string | null;
  notes: string | null;
  /** Blind indexes the caller already computed (to resolve natural keys); computed here otherwise. */
  phoneIdx?: string | undefined;
  idNumberIdx?: string | undefined;
}

/** The clear values of a batch of persons to encrypt, and where each person's values are among them. */
function plainsOf(persons: NewPerson[]): { plains: string[]; slots: (readonly [number, number, number])[] } {
  const plains: string[] = [];
  const slot = (value: string | null) => (value === null ? -1 : plains.push(value) - 1);
  return { plains, slots: persons.map((p) => [slot(p.phone), slot(p.idNumber), slot(p.emergencyPhone)] as const) };
}

/** `indexed`: blind indexes computed with the encryption, for persons that came without. */
function rowsOf(cipher: FieldCipher, persons: NewPerson[], slots: (readonly [number, number, number])[], sealed: string[], now: string, indexed?: ReadonlyMap<string, string>): PersonRow[] {
  const index = (plain: string | null, known: string | undefined) => (plain === null ? null : (known ?? indexed?.get(plain) ?? cipher.blindIndex(plain)));
  const enc = (i: number) => (i < 0 ? null : sealed[i]!);
  return persons.map((p, n) => ({
    id: p.id,
    community_id: p.communityId,
    kind: p.kind,
    name: p.name,
    gender: p.gender,
    phone_enc: enc(slots[n]![0]),
    phone_idx: index(p.phone, p.phoneIdx),
    id_type: p.idType,
    id_number_enc: enc(slots[n]![1]),
    id_number_idx: index(p.idNumber, p.idNumberIdx),
    email: p.email,
    emergency_contact: p.emergencyContact,
    emergency_phone_enc: enc(slots[n]![2]),
    notes: p.notes,
    user_id: null,
    created_at: now,
    updated_at: now,
  }));
}

/**
 * Encrypts and indexes personal data: CPU work. All values of the batch are encrypted in one
 * {@link FieldCipher.encryptMany} call (one CSPRNG call for every nonce).
 */
export function preparePersons(cipher: FieldCipher, persons: NewPerson[], now: string): PersonRow[] {
  const { plains, slots } = plainsOf(persons);
  return rowsOf(cipher, persons, slots, cipher.encryptMany(plains), now);
}

const SEALED_CHUNK = 10_000;

/**
 * Encrypts and inserts new persons {@link SEALED_CHUNK} at a time: the first chunk is encrypted
 * here, all others are queued on the seal worker (core/crypto/seal-worker.ts) at once, so the
 * worker encrypts — about 6 µs a value, up to three values a person — while this thread writes,
 * and neither waits for the other for long.
 */
export async function insertNewPersons(tx: Tx, cipher: FieldCipher, persons: NewPerson[], now: string): Promise<void> {
  const offThread = async (chunk: NewPerson[]) => {
    const { plains, slots } = plainsOf(chunk);
    // Blind indexes validation did not need (a community's first import) are computed there too.
    const unindexed: string[] = [];
    for (const p of chunk) {
      if (p.phone !== null && p.phoneIdx === undefined) unindexed.push(p.phone);
      if (p.idNumber !== null && p.idNumberIdx === undefined) unindexed.push(p.idNumber);
    }
    const [sealed, indexes] = await Promise.all([cipher.encryptManyOffThread(plains), cipher.blindIndexManyOffThread(unindexed)]);
    return rowsOf(cipher, chunk, slots, sealed, now, new Map(unindexed.map((plain, i) => [plain, indexes[i]!])));
  };
  const later: Promise<PersonRow[]>[] = [];
  for (let i = SEALED_CHUNK; i < persons.length; i += SEALED_CHUNK) later.push(offThread(persons.slice(i, i + SEALED_CHUNK)));
  try {
    await bulkInsert(tx, 'persons', preparePersons(cipher, persons.slice(0, SEALED_CHUNK), now));
    for (const rows of later) await bulkInsert(tx, 'persons', await rows);
  } finally {
    // A failed insert leaves later chunks' encryption unawaited.
    for (const rows of later) rows.catch(() => undefined);
  }
}

/** Prepared multi-row inserts (core/db/bulk.ts): multi-row VALUES on SQLite, unnest on PostgreSQL. */
export async function insertPersons(tx: Tx, rows: PersonRow[]): Promise<void> {
  await bulkInsert(tx, 'persons', rows);
}

export async function insertOccupancies(tx: Tx, rows: OccupancyRow[]): Promise<void> {
  await bulkInsert(tx, 'occupancies', rows);
}

export async function insertVehicles(tx: Tx, rows: VehicleRow[]): Promise<void> {
  await bulkInsert(tx, 'vehicles', rows);
}

/**
 * One current primary contact per room: the imported primary contacts replace the rooms' current
 * ones (the people service's rule when a primary contact is set). Called before the imported
 * occupancies are inserted, so that only the rooms' earlier occupancies are looked at.
 */
export async function clearPrimaryContacts(tx: Tx, roomIds: string[], now: string): Promise<void> {
  for (let i = 0; i < roomIds.length; i += 5_000) {
    await tx
      .updateTable('occupancies')
      .set({ primary_contact: 0, updated_at: now })
      .where('room_id', 'in', roomIds.slice(i, i + 5_000))
      .where('moved_out_on', 'is', null)
      .where('primary_contact', '=', 1)
      .execute();
  }
}

export type PersonMatch = Pick<PersonRow, 'id' | 'name' | 'kind' | 'gender' | 'phone_idx' | 'id_number_idx' | 'email'>;

async function inChunks<K, R>(keys: K[], fetch: (chunk: K[]) => Promise<R[]>): Promise<R[]> {
  const unique = [...new Set(keys)];
  const out: R[] = [];
  for (let i = 0; i < unique.length; i += 5_000) out.push(...(await fetch(unique.slice(i, i + 5_000))));
  return out;
}

/**
 * Persons of a community whose blind index in `column` is one of `idxs`. A whole file of keys
 * (thousands) is matched in one pass over the community's persons: the IN lists it would take
 * cost more to compile and probe than the pass, and nothing at all for a new community.
 */
async function personsByIndex(exec: Exec, communityId: string, column: 'id_number_idx' | 'phone_idx', idxs: string[]): Promise<PersonMatch[]> {
  const query = () => exec.selectFrom('persons').select(['id', 'name', 'kind', 'gender', 'phone_idx', 'id_number_idx', 'email']).where('community_id', '=', communityId);
  const wanted = new Set(idxs);
  if (wanted.size <= 2_000) return inChunks([...wanted], (chunk) => query().where(column, 'in', chunk).execute());
  return (await query().where(column, 'is not', null).execute()).filter((p) => wanted.has(p[column]!));
}

/** Whether any person is registered in the community. */
export async function communityHasPersons(exec: Exec, communityId: string): Promise<boolean> {
  return (await exec.selectFrom('persons').select('id').where('community_id', '=', communityId).limit(1).executeTakeFirst()) !== undefined;
}

/** Persons of a community whose ID-number blind index is one of `idxs`. */
export function personsByIdNumber(exec: Exec, communityId: string, idxs: string[]): Promise<PersonMatch[]> {
  return personsByIndex(exec, communityId, 'id_number_idx', idxs);
}

/** Persons of a community whose phone blind index is one of `idxs`. */
export function personsByPhone(exec: Exec, communityId: string, idxs: string[]): Promise<PersonMatch[]> {
  return personsByIndex(exec, communityId, 'phone_idx', idxs);
}

/** Room occupancies (current and past) of the given persons. */
export async function roomOccupanciesOf(exec: Exec, personIds: string[]): Promise<Pick<OccupancyRow, 'id' | 'person_id' | 'room_id' | 'relation' | 'moved_in_on' | 'moved_out_on'>[]> {
  return inChunks(personIds, (chunk) =>
    exec
      .selectFrom('occupancies')
      .select(['id', 'person_id', 'room_id', 'relation', 'moved_in_on', 'moved_out_on'])
      .where('person_id', 'in', chunk)
      .where('room_id', 'is not', null)
      .execute(),
  );
}

/** Current parking-space occupancies of the given persons. */
export async function spaceOccupanciesOf(exec: Exec, personIds: string[]): Promise<Pick<OccupancyRow, 'id' | 'person_id' | 'parking_space_id' | 'relation'>[]> {
  return inChunks(personIds, (chunk) =>
    exec
      .selectFrom('occupancies')
      .select(['id', 'person_id', 'parking_space_id', 'relation'])
      .where('person_id', 'in', chunk)
      .where('parking_space_id', 'is not', null)
      .where('moved_out_on', 'is', null)
      .execute(),
  );
}

/** Vehicles with one of `plates`, in any community (plates are unique in the organisation). */
export async function vehiclesByPlate(exec: Exec, plates: string[]): Promise<Pick<VehicleRow, 'id' | 'community_id' | 'plate' | 'person_id' | 'parking_space_id'>[]> {
  return inChunks(plates, (chunk) => exec.selectFrom('vehicles').select(['id', 'community_id', 'plate', 'person_id', 'parking_space_id']).where('plate', 'in', chunk).execute());
}

export type { Relation };
