import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '@courtyard/contracts';
import { loadConfig, type Config } from '../../src/config.js';
import { systemClock } from '../../src/core/clock.js';
import { openFromConfig } from '../../src/bootstrap.js';
import { createCourtyard, ENCRYPTED_COLUMNS, type Courtyard } from '../../src/app.js';
import { rotateFieldKey } from '../../src/cli/keys.js';
import { Client, makeCommunity, makeUser } from '../harness.js';
import { cleanupProcesses, serverEnv } from '../processes.js';
import { residentId } from './fixtures.js';

let config: Config;
const phones = ['13811110001', '13811110002', '13811110003'];
const idNumber = residentId('19880808');
const personIds: string[] = [];

async function open(): Promise<Courtyard> {
  const { database, secrets } = await openFromConfig(config);
  const c = await createCourtyard({ database, secrets, clock: systemClock });
  await c.app.ready();
  return c;
}
async function signedIn(c: Courtyard): Promise<Client> {
  const client = new Client(c.app);
  await client.signIn('mgr');
  return client;
}
/** Every non-empty value of every registered encrypted column. */
async function storedValues(c: Courtyard): Promise<string[]> {
  const out: string[] = [];
  for (const spec of ENCRYPTED_COLUMNS) {
    for (const column of spec.columns) {
      const rows = await sql<{ v: string | null }>`select ${sql.ref(column)} as v from ${sql.table(spec.table)}`.execute(c.database.db);
      for (const r of rows.rows) if (r.v) out.push(r.v);
    }
  }
  return out;
}

beforeAll(async () => {
  config = loadConfig({ ...(await serverEnv()), COURTYARD_SEED_DEMO: 'false' });
  const c = await open();
  const community = await makeCommunity(c, 'KR');
  await makeUser(c, { username: 'mgr', role: 'property_manager', phone: '13900009999' });
  const client = await signedIn(c);
  for (const [i, phone] of phones.entries()) {
    const res = await client.post('/api/persons', { communityId: community, kind: 'individual', name: `住户${i}`, phone, ...(i === 0 ? { idType: 'resident_id', idNumber } : {}) });
    personIds.push(res.json<Person>().id);
  }
  // A value written before key versions existed (`v1.<nonce>.<body>`) must rotate too.
  const row = await c.database.db.selectFrom('persons').select('phone_enc').where('id', '=', personIds[2] as string).executeTakeFirstOrThrow();
  const [, , nonce, body] = (row.phone_enc as string).split('.');
  await c.database.db.updateTable('persons').set({ phone_enc: `v1.${nonce}.${body}` }).where('id', '=', personIds[2] as string).execute();
  await c.close();
});
afterAll(() => cleanupProcesses());

describe('courtyard keys rotate-field', () => {
  it('generates key 2, re-encrypts every encrypted column, and every value still reads', async () => {
    const lines: string[] = [];
    const report = await rotateFieldKey(config, (l) => lines.push(l), { batchSize: 2 });
    expect(report).toMatchObject({ version: 2, generated: true });
    expect(fs.existsSync(path.join(config.dataDir, 'keys', 'field.2.key'))).toBe(true);
    expect(lines.some((l) => l.startsWith('persons: '))).toBe(true);
    expect(report.tables.find((t) => t.table === 'persons')).toMatchObject({ rows: 3, rewritten: 4 });

    const c = await open();
    try {
      const values = await storedValues(c);
      expect(values.length).toBeGreaterThanOrEqual(5);
      expect(values.every((v) => v.startsWith('aes256gcm.k2.'))).toBe(true);
      const client = await signedIn(c);
      for (const [i, id] of personIds.entries()) expect((await client.post(`/api/persons/${id}/reveal`, { field: 'phone' })).json()).toEqual({ value: phones[i] });
      expect((await client.post(`/api/persons/${personIds[0]}/reveal`, { field: 'idNumber' })).json()).toEqual({ value: idNumber });
      // The blind index did not move: exact search by phone still finds the rotated rows.
      expect((await client.get(`/api/search?q=${phones[1]}`)).json<{ items: { id: string }[] }>().items.map((h) => h.id)).toEqual([personIds[1]]);
      // New writes use the new key.
      const community = (await c.database.db.selectFrom('communities').select('id').executeTakeFirstOrThrow()).id;
      const created = (await client.post('/api/persons', { communityId: community, kind: 'individual', name: '新住户', phone: '13811110009' })).json<Person>();
      const row = await c.database.db.selectFrom('persons').select('phone_enc').where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.phone_enc).toMatch(/^aes256gcm\.k2\./);
      const audit = await c.database.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', 'like', 'core.field_key.%').orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['core.field_key.rotation_started', 'core.field_key.rotated']);
      expect(audit[1]?.after_json).toContain('"persons"');
    } finally {
      await c.close();
    }
  });

  it('resumes an interrupted rotation with the key it generated instead of making another', async () => {
    let seen = 0;
    await expect(
      rotateFieldKey(
        config,
        () => {
          // Dies after the first batch's progress line.
          if (++seen === 2) throw new Error('interrupted');
        },
        { batchSize: 1 },
      ),
    ).rejects.toThrow('interrupted');
    expect(fs.existsSync(path.join(config.dataDir, 'keys', 'field.3.key'))).toBe(true);
    const lines: string[] = [];
    const report = await rotateFieldKey(config, (l) => lines.push(l), { batchSize: 1 });
    expect(report).toMatchObject({ version: 3, generated: false });
    expect(lines[0]).toMatch(/^resuming the rotation to field key 3/);
    expect(fs.existsSync(path.join(config.dataDir, 'keys', 'field.4.key'))).toBe(false);
    const c = await open();
    try {
      expect((await storedValues(c)).every((v) => v.startsWith('aes256gcm.k3.'))).toBe(true);
    } finally {
      await c.close();
    }
  });
});
