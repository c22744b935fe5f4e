import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleImport } from '../../src/modules/people/index.js';
import { makeCommunity, startCourtyard, type TestCourtyard } from '../harness.js';
import { residentId } from './fixtures.js';

let c: TestCourtyard;
let communityId: string;

beforeAll(async () => {
  c = await startCourtyard();
  communityId = await makeCommunity(c, 'BULK');
});
afterAll(() => c.dispose());

describe('bulk person inserts (imports)', () => {
  it('encrypts and indexes every person, the chunks sealed on the worker included, whether or not blind indexes came with them', async () => {
    // 25,000 persons: the first chunk is sealed in-thread, the other two on the seal worker.
    const persons = Array.from({ length: 25_000 }, (_, i) => {
      const phone = `139${String(i).padStart(8, '0')}`;
      const idNumber = i % 3 === 0 ? null : residentId(`199001${String(1 + Math.floor(i / 1000)).padStart(2, '0')}`, i);
      return {
        id: crypto.randomUUID(),
        communityId,
        kind: 'individual' as const,
        name: `住户${i}`,
        gender: 'unknown' as const,
        phone,
        idType: idNumber === null ? null : ('resident_id' as const),
        idNumber,
        email: null,
        emergencyContact: null,
        emergencyPhone: i % 5 === 0 ? `138${String(i).padStart(8, '0')}` : null,
        notes: null,
        // Half come with the blind indexes validation computed, half without (a first import).
        ...(i % 2 === 0 ? { phoneIdx: c.cipher.blindIndex(phone), idNumberIdx: idNumber === null ? undefined : c.cipher.blindIndex(idNumber) } : {}),
      };
    });
    await c.database.db.transaction().execute((tx) => peopleImport.insertNewPersons(tx, c.cipher, persons, '2026-03-02T08:00:00.000Z'));

    const rows = await c.database.db.selectFrom('persons').select(['id', 'phone_enc', 'phone_idx', 'id_number_enc', 'id_number_idx', 'emergency_phone_enc']).where('community_id', '=', communityId).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(25_000);
    const wrong = persons.filter((p) => {
      const r = byId.get(p.id)!;
      return (
        c.cipher.decrypt(r.phone_enc!) !== p.phone ||
        r.phone_idx !== c.cipher.blindIndex(p.phone) ||
        (p.idNumber === null ? r.id_number_enc !== null || r.id_number_idx !== null : c.cipher.decrypt(r.id_number_enc!) !== p.idNumber || r.id_number_idx !== c.cipher.blindIndex(p.idNumber)) ||
        (p.emergencyPhone === null ? r.emergency_phone_enc !== null : c.cipher.decrypt(r.emergency_phone_enc!) !== p.emergencyPhone)
      );
    });
    expect(wrong).toEqual([]);
  });
});
