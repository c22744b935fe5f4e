import type { FieldCipher } from '../../core/crypto/field.js';
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
}

/** Encrypts and indexes personal data: CPU work, done before the transaction opens. */
export function preparePersons(cipher: FieldCipher, persons: NewPerson[], now: string): PersonRow[] {
  return persons.map((p) => ({
    id: p.id,
    community_id: p.communityId,
    kind: p.kind,
    name: p.name,
    gender: p.gender,
    phone_enc: p.phone === null ? null : cipher.encrypt(p.phone),
    phone_idx: p.phone === null ? null : cipher.blindIndex(p.phone),
    id_type: p.idType,
    id_number_enc: p.idNumber === null ? null : cipher.encrypt(p.idNumber),
    id_number_idx: p.idNumber === null ? null : cipher.blindIndex(p.idNumber),
    email: p.email,
    emergency_contact: p.emergencyContact,
    emergency_phone_enc: p.emergencyPhone === null ? null : cipher.encrypt(p.emergencyPhone),
    notes: p.notes,
    user_id: null,
    created_at: now,
    updated_at: now,
  }));
}

/** Rows per INSERT within both dialects' bound-parameter limits (see properties.import.ts). */
async function insertChunked<T extends object>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function insertPersons(tx: Tx, rows: PersonRow[]): Promise<void> {
  await insertChunked(rows, (chunk) => tx.insertInto('persons').values(chunk).execute());
}

export async function insertOccupancies(tx: Tx, rows: OccupancyRow[]): Promise<void> {
  await insertChunked(rows, (chunk) => tx.insertInto('occupancies').values(chunk).execute());
}

export async function insertVehicles(tx: Tx, rows: VehicleRow[]): Promise<void> {
  await insertChunked(rows, (chunk) => tx.insertInto('vehicles').values(chunk).execute());
}

/**
 * One current primary contact per room: the imported primary contacts replace the rooms' current
 * ones (the people service's rule when a primary contact is set).
 */
export async function replacePrimaryContacts(tx: Tx, primaries: { roomId: string; occupancyId: string }[], now: string): Promise<void> {
  for (let i = 0; i < primaries.length; i += 5_000) {
    const chunk = primaries.slice(i, i + 5_000);
    await tx
      .updateTable('occupancies')
      .set({ primary_contact: 0, updated_at: now })
      .where('room_id', 'in', chunk.map((p) => p.roomId))
      .where('moved_out_on', 'is', null)
      .where('primary_contact', '=', 1)
      .where('id', 'not in', chunk.map((p) => p.occupancyId))
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

/** Persons of a community whose ID-number blind index is one of `idxs`. */
export async function personsByIdNumber(exec: Exec, communityId: string, idxs: string[]): Promise<PersonMatch[]> {
  return inChunks(idxs, (chunk) =>
    exec
      .selectFrom('persons')
      .select(['id', 'name', 'kind', 'gender', 'phone_idx', 'id_number_idx', 'email'])
      .where('community_id', '=', communityId)
      .where('id_number_idx', 'in', chunk)
      .execute(),
  );
}

/** Persons of a community whose phone blind index is one of `idxs`. */
export async function personsByPhone(exec: Exec, communityId: string, idxs: string[]): Promise<PersonMatch[]> {
  return inChunks(idxs, (chunk) =>
    exec
      .selectFrom('persons')
      .select(['id', 'name', 'kind', 'gender', 'phone_idx', 'id_number_idx', 'email'])
      .where('community_id', '=', communityId)
      .where('phone_idx', 'in', chunk)
      .execute(),
  );
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

/** Vehicles with one of `plates`, in any community (plates are unique in the organisation). */
export async function vehiclesByPlate(exec: Exec, plates: string[]): Promise<Pick<VehicleRow, 'id' | 'community_id' | 'plate' | 'person_id' | 'parking_space_id'>[]> {
  return inChunks(plates, (chunk) => exec.selectFrom('vehicles').select(['id', 'community_id', 'plate', 'person_id', 'parking_space_id']).where('plate', 'in', chunk).execute());
}

export type { Relation };
