import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportBatch } from '@courtyard/contracts';
import { withRoomForWrites } from '../../src/core/db/bulk.js';
import type { Exec } from '../../src/core/db/schema.js';
import { Client, dialect, makeCommunity, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { importFile, PEOPLE_HEADERS_EN, residentId, ROOM_HEADERS_ZH, settle, streamedWorkbook, uploadImport, workbook } from './helpers.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let managerA: Client;
let managerB: Client;

async function signIn(username: string): Promise<Client> {
  const client = new Client(c.app);
  await client.signIn(username);
  return client;
}

const roomRows = [
  ['1', '1号楼', '1', '1单元', '101', 1, '89.50', '76.2', '住宅', '空置', '2024-03-01'],
  ['1', '1号楼', '1', '1单元', '102', 1, 90, null, '住宅', null, '2024/3/1'],
  ['1', '1号楼', '2', '2单元', '201', 2, '120', null, 'Shop', 'Unsold', null],
];

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'XA');
  communityB = await makeCommunity(c, 'XB');
  await makeUser(c, { username: 'mgr_a', role: 'property_manager', communityId: communityA });
  await makeUser(c, { username: 'mgr_b', role: 'property_manager', communityId: communityB });
  managerA = await signIn('mgr_a');
  managerB = await signIn('mgr_b');
});
afterAll(() => c.dispose());

const errorsOf = (b: ImportBatch) => b.errors.map((e) => [e.row, e.column, e.code]);

describe('rooms import', () => {
  it('creates buildings, units and rooms from Chinese headers, then counts a second upload as unchanged', async () => {
    const file = await workbook(ROOM_HEADERS_ZH, roomRows);
    const first = await importFile(c, managerA, 'rooms', communityA, file);
    expect(first).toMatchObject({ state: 'committed', totalRows: 3, errorCount: 0, counts: { created: 3, unchanged: 0 } });
    const rooms = await c.database.db.selectFrom('rooms').select(['code', 'building_area_dm2', 'inner_area_dm2', 'use', 'state', 'delivered_on']).where('community_id', '=', communityA).orderBy('code').execute();
    expect(rooms.map((r) => [r.code, Number(r.building_area_dm2), r.inner_area_dm2 === null ? null : Number(r.inner_area_dm2), r.use, r.state, r.delivered_on])).toEqual([
      ['1-1-101', 8950, 7620, 'residence', 'vacant', '2024-03-01'],
      ['1-1-102', 9000, null, 'residence', 'vacant', '2024-03-01'],
      ['1-2-201', 12000, null, 'shop', 'unsold', null],
    ]);
    const again = await importFile(c, managerA, 'rooms', communityA, file);
    expect(again).toMatchObject({ state: 'committed', counts: { created: 0, unchanged: 3 } });
    expect(await c.database.db.selectFrom('buildings').select('id').where('community_id', '=', communityA).execute()).toHaveLength(1);
  });

  it('writes what validation checked at the time of the commit, and checks again when the registry changed in between', async () => {
    const community = await makeCommunity(c, 'XT');
    await makeUser(c, { username: 'mgr_t', role: 'property_manager', communityId: community });
    const manager = await signIn('mgr_t');
    const room = (number: string, floor: number) => ['9', null, '1', null, number, floor, '80', null, '住宅', null, null];
    const upload = async (rows: (string | number | null)[][]) => {
      const res = await uploadImport(manager, { kind: 'rooms', communityId: community }, await workbook(ROOM_HEADERS_ZH, rows));
      const batch = await settle(c, manager, res.json<ImportBatch>().id);
      expect(batch.state).toBe('valid');
      return batch.id;
    };
    const commit = async (id: string) => {
      expect((await manager.post(`/api/imports/${id}/commit`)).statusCode).toBe(202);
      return settle(c, manager, id);
    };

    const quiet = await upload([room('101', 1), room('102', 1)]);
    c.clock.advance(10 * 60_000);
    expect(await commit(quiet)).toMatchObject({ state: 'committed', counts: { created: 2 } });
    const written = await c.database.db.selectFrom('rooms').select(['code', 'created_at']).where('community_id', '=', community).execute();
    expect(written.map((r) => r.created_at)).toEqual([c.clock.now().toISOString(), c.clock.now().toISOString()]);

    // Validated, then someone else's import creates the same room differently: the commit must
    // not write validation's plan (nor fail on the duplicate) but report the difference.
    const stale = await upload([room('103', 1)]);
    expect(await commit(await upload([room('103', 5)]))).toMatchObject({ state: 'committed', counts: { created: 1 } });
    const outcome = await commit(stale);
    expect(outcome.state).toBe('invalid');
    expect(errorsOf(outcome)).toEqual([[2, '楼层', 'import.exists_different']]);
  });
});

describe('people import', () => {
  it('imports English headers in any order, encrypts personal data and moves people in', async () => {
    const headers = [...PEOPLE_HEADERS_EN].reverse();
    const rows = [
      ['王五', 'Individual', 'Male', '13812340001', 'Resident ID', residentId(1), null, '1-1-101', 'Owner', '2024-03-01', 'Yes', null, null, null],
      ['Li Lei', null, '女', '+86 138 1234 0002', null, null, 'li@example.com', '1-1-101', 'family_member', new Date(Date.UTC(2024, 2, 2)), '否', null, null, 'note'],
      ['租客', null, null, '13812340003', null, null, null, '1-1-102', '租户', 45352, null, null, null, null],
    ].map((r) => [...r].reverse());
    const batch = await importFile(c, managerA, 'people', communityA, await workbook(headers, rows));
    expect(errorsOf(batch)).toEqual([]);
    expect(batch).toMatchObject({ state: 'committed', counts: { created: 3, unchanged: 0 } });
    const persons = await c.database.db.selectFrom('persons').selectAll().where('community_id', '=', communityA).orderBy('name').execute();
    expect(persons.map((p) => p.name)).toEqual(['Li Lei', '王五', '租客'].sort());
    expect(persons.every((p) => p.phone_enc?.includes('13812') === false && p.phone_idx !== null)).toBe(true);
    // Each person's ciphertexts are their own: they decrypt to that row's values.
    expect(persons.map((p) => [p.name, c.cipher.decrypt(p.phone_enc!), p.id_number_enc === null ? null : c.cipher.decrypt(p.id_number_enc)])).toEqual([
      ['Li Lei', '13812340002', null],
      ['王五', '13812340001', residentId(1)],
      ['租客', '13812340003', null],
    ]);
    const rooms = await c.database.db.selectFrom('rooms').select(['code', 'state']).where('community_id', '=', communityA).orderBy('code').execute();
    expect(rooms.map((r) => [r.code, r.state])).toEqual([
      ['1-1-101', 'occupied'],
      ['1-1-102', 'rented'],
      ['1-2-201', 'unsold'],
    ]);
    const occ = await c.database.db.selectFrom('occupancies').select(['relation', 'moved_in_on', 'primary_contact']).where('community_id', '=', communityA).orderBy('moved_in_on').orderBy('relation').execute();
    expect(occ).toEqual([
      { relation: 'owner', moved_in_on: '2024-03-01', primary_contact: 1 },
      { relation: 'tenant', moved_in_on: '2024-03-01', primary_contact: 0 },
      { relation: 'family_member', moved_in_on: '2024-03-02', primary_contact: 0 },
    ]);
    const again = await importFile(c, managerA, 'people', communityA, await streamedWorkbook(headers, rows));
    expect(again).toMatchObject({ state: 'committed', counts: { created: 0, unchanged: 3 } });

    // A later file naming another primary contact for 1-1-101 hands the role over: one per room.
    const heir = [['赵六', null, null, '13812340004', null, null, null, '1-1-101', '共有人', '2024-04-01', '是', null, null, null].reverse()];
    expect(await importFile(c, managerA, 'people', communityA, await workbook(headers, heir))).toMatchObject({ state: 'committed', counts: { created: 1 } });
    const primaries = await c.database.db
      .selectFrom('occupancies as o')
      .innerJoin('persons as p', 'p.id', 'o.person_id')
      .innerJoin('rooms as r', 'r.id', 'o.room_id')
      .select(['p.name', 'o.primary_contact'])
      .where('r.code', '=', '1-1-101')
      .where('o.community_id', '=', communityA)
      .orderBy('p.name')
      .execute();
    expect(primaries).toEqual([
      { name: 'Li Lei', primary_contact: 0 },
      { name: '王五', primary_contact: 0 },
      { name: '赵六', primary_contact: 1 },
    ]);
  });

  it('reports each kind of error with row, column header and code, and commits nothing', async () => {
    const rows = [
      ['', null, null, '13812349999', null, null, null, null, null, null, null, null, null, null], // 2 required name
      ['A', 'robot', null, '13812349998', null, null, null, null, null, null, null, null, null, null], // 3 enum
      ['B', null, null, '12345', null, null, null, null, null, null, null, null, null, null], // 4 phone
      ['C', null, null, null, null, '110105198001010010', null, null, null, null, null, null, null, null], // 5 id checksum
      ['D', null, null, null, null, null, null, null, null, null, null, null, null, null], // 6 identity
      ['E', null, null, '13812349997', null, null, 'not-mail', null, null, null, null, null, null, null], // 7 email
      ['F', null, null, '13812349996', null, null, null, '9-9-999', 'Owner', '2024-01-01', null, null, null, null], // 8 room not found
      ['G', null, null, '13812349995', null, null, null, '1-1-101', null, '2024-13-01', null, null, null, null], // 9 relation required + bad date
      ['H', null, null, null, null, residentId(7), null, null, null, null, null, null, null, null], // 10 ok
      ['H2', null, null, null, null, residentId(7), null, null, null, null, null, null, null, null], // 11 duplicate id
      ['Someone else', null, null, null, null, residentId(1), null, null, null, null, null, null, null, null], // 12 id of 王五
      ['I', null, null, '13812349994', null, null, null, '1-1-102', 'Owner', '2024-01-01', 'Yes', null, null, null], // 13
      ['J', null, null, '13812349993', null, null, null, '1-1-102', 'Owner', '2024-01-01', 'Yes', null, null, null], // 14 second primary
    ];
    const res = await uploadImport(managerA, { kind: 'people', communityId: communityA }, await workbook(PEOPLE_HEADERS_EN, rows));
    expect(res.statusCode).toBe(201);
    const batch = await settle(c, managerA, res.json<ImportBatch>().id);
    expect(batch.state).toBe('invalid');
    expect(errorsOf(batch)).toEqual([
      [2, 'Name', 'import.required'],
      [3, 'Kind', 'import.invalid_enum'],
      [4, 'Phone', 'import.invalid_phone'],
      [5, 'ID number', 'import.invalid_id_number'],
      [6, 'ID number', 'import.identity_required'],
      [7, 'Email', 'import.invalid_email'],
      [8, 'Room code', 'import.room_not_found'],
      [9, 'Relation', 'import.required'],
      [9, 'Moved-in date', 'import.invalid_date'],
      [11, 'ID number', 'import.duplicate_in_file'],
      [12, 'ID number', 'import.exists_different'],
      [14, 'Primary contact', 'import.conflict_in_file'],
    ]);
    expect(batch.errors[9]!.message).toMatch(/10/);
    const commit = await managerA.post(`/api/imports/${batch.id}/commit`);
    expect([commit.statusCode, commit.json<{ code: string }>().code]).toEqual([409, 'exchange.batch_not_valid']);

    const report = await managerA.get(`/api/imports/${batch.id}/report.xlsx`);
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(15).value).toBe('错误 / Errors');
    expect(ws.getRow(4).getCell(15).text).toMatch(/Phone/);
    expect(ws.getRow(4).getCell(4).note).toBeTruthy();
    expect((ws.getRow(4).getCell(4).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
  });
});

describe('the commit’s page cache (SQLite)', () => {
  it('is larger only while a bulk write runs, and back to its size after a failed one', async () => {
    const size = async (db: Exec) => Number((await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size);
    if (dialect !== 'sqlite') {
      expect(await withRoomForWrites(c.database.db, () => Promise.resolve('written'))).toBe('written');
      return;
    }
    const before = await size(c.database.db);
    const during = await c.database.db.transaction().execute((tx) => withRoomForWrites(tx, () => size(tx)));
    expect(during).toBeLessThan(before);
    expect(during).toBe(-262_144);
    await expect(c.database.db.transaction().execute((tx) => withRoomForWrites(tx, () => Promise.reject(new Error('constraint failed'))))).rejects.toThrow('constraint failed');
    expect(await size(c.database.db)).toBe(before);
  });
});

describe('scope', () => {
  it("a manager of A cannot import into B nor see B's batches", async () => {
    const file = await workbook(ROOM_HEADERS_ZH, roomRows);
    const res = await uploadImport(managerA, { kind: 'rooms', communityId: communityB }, file);
    expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([403, 'auth.out_of_scope']);
    const own = await uploadImport(managerB, { kind: 'rooms', communityId: communityB }, file);
    const id = own.json<ImportBatch>().id;
    for (const url of [`/api/imports/${id}`, `/api/imports/${id}/report.xlsx`]) {
      const r = await managerA.get(url);
      expect([url, r.statusCode]).toEqual([url, 403]);
    }
    expect((await managerA.post(`/api/imports/${id}/commit`)).statusCode).toBe(403);
    const list = await managerA.get('/api/imports');
    expect(list.json<{ items: ImportBatch[] }>().items.every((b) => b.communityId === communityA)).toBe(true);
    expect((await managerA.get(`/api/imports?communityId=${communityB}`)).statusCode).toBe(403);
  });
});
