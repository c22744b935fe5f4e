import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportBatch } from '@courtyard/contracts';
import { Client, makeCommunity, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { importFile, residentId, ROOM_HEADERS_ZH, settle, uploadImport, workbook } from './helpers.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let managerA: Client;
let managerB: Client;
let admin: Client;

async function signIn(username: string): Promise<Client> {
  const client = new Client(c.app);
  await client.signIn(username);
  return client;
}

async function readXlsx(buf: Buffer): Promise<ExcelJS.Worksheet[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets;
}

const rooms = (n: number, building = '1') =>
  Array.from({ length: n }, (_, i) => [building, null, '1', null, String(101 + i), 1, '80', null, '住宅', null, null] as (string | number | null)[]);

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'EA');
  communityB = await makeCommunity(c, 'EB');
  await makeUser(c, { username: 'mgr_a', role: 'property_manager', communityId: communityA });
  await makeUser(c, { username: 'mgr_b', role: 'property_manager', communityId: communityB });
  await makeUser(c, { username: 'svc_a', role: 'customer_service', communityId: communityA });
  await makeUser(c, { username: 'boss', role: 'property_manager' });
  managerA = await signIn('mgr_a');
  managerB = await signIn('mgr_b');
  admin = await signIn('boss');
  expect((await importFile(c, managerA, 'rooms', communityA, await workbook(ROOM_HEADERS_ZH, rooms(40)))).state).toBe('committed');
  expect((await importFile(c, managerB, 'rooms', communityB, await workbook(ROOM_HEADERS_ZH, rooms(3, '9')))).state).toBe('committed');
});
afterAll(() => c.dispose());

describe('templates', () => {
  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`the ${lang} people template, filled in and uploaded, validates`, async () => {
      const res = await managerA.get(`/api/imports/templates/people.xlsx?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(lang === 'zh-CN' ? ['人员', '填写说明'] : ['People', 'Instructions']);
      const data = wb.worksheets[0]!;
      const headers = (data.getRow(1).values as string[]).slice(1);
      expect(headers[0]).toBe(lang === 'zh-CN' ? '姓名' : 'Name');
      // The drop-down lists of the enum columns.
      const xml = JSON.stringify((data as unknown as { dataValidations: { model: unknown } }).dataValidations.model);
      expect(xml).toContain(lang === 'zh-CN' ? '业主' : 'Owner');
      const values: Record<string, string> = lang === 'zh-CN'
        ? { 姓名: '模板测试', 手机号: '13700000001', 证件号码: residentId(501), 房屋编码: '1-1-101', 关系: '家庭成员', 入住日期: '2024-05-01' }
        : { Name: 'Template test', Phone: '13700000002', 'ID number': residentId(502), 'Room code': '1-1-102', Relation: 'Tenant', 'Moved-in date': '2024-05-01' };
      const row = data.getRow(2);
      headers.forEach((h, i) => {
        if (values[h] !== undefined) row.getCell(i + 1).value = values[h];
      });
      row.commit();
      const filled = Buffer.from(await wb.xlsx.writeBuffer());
      const up = await uploadImport(managerA, { kind: 'people', communityId: communityA }, filled, 'filled.xlsx');
      const batch = await settle(c, managerA, up.json<ImportBatch>().id);
      expect(batch.errors).toEqual([]);
      expect(batch).toMatchObject({ state: 'valid', totalRows: 1 });
    });
  }

  it('templates exist for rooms and parking with an instructions sheet and an example row', async () => {
    for (const kind of ['rooms', 'parking']) {
      const res = await managerA.get(`/api/imports/templates/${kind}.xlsx`, );
      const sheets = await readXlsx(res.rawPayload);
      expect(sheets).toHaveLength(2);
      expect(sheets[1]!.rowCount).toBeGreaterThan(10);
    }
    expect((await managerA.get('/api/imports/templates/bills.xlsx')).statusCode).toBe(400);
  });
});

describe('files from other spreadsheet programs', () => {
  it('imports a people file saved by LibreOffice Calc (date cells, rich text, shared strings)', async () => {
    const data = fs.readFileSync(path.join(import.meta.dirname, 'fixtures/people-libreoffice.xlsx'));
    const batch = await importFile(c, managerA, 'people', communityA, data);
    expect(batch.errors).toEqual([]);
    expect(batch).toMatchObject({ state: 'committed', totalRows: 50, counts: { created: 50, unchanged: 0 } });
    const note = await c.database.db.selectFrom('persons').select(['notes']).where('name', '=', 'LibreOffice 3').executeTakeFirstOrThrow();
    expect(note.notes).toBe('备注, 含逗号 3');
    const occ = await c.database.db.selectFrom('occupancies as o').innerJoin('persons as p', 'p.id', 'o.person_id').select(['o.moved_in_on']).where('p.name', '=', 'LibreOffice 1').executeTakeFirstOrThrow();
    expect(occ.moved_in_on).toBe('2024-03-02');
  });

  it('refuses a file that is not a workbook', async () => {
    const res = await uploadImport(managerA, { kind: 'people', communityId: communityA }, Buffer.from('name,phone\n张三,13800000000\n'), 'people.xlsx');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('reports missing required columns on the header row', async () => {
    const res = await uploadImport(managerA, { kind: 'rooms', communityId: communityA }, await workbook(['楼栋编号', '单元编号', '房号'], [['1', '1', '101']]));
    const batch = await settle(c, managerA, res.json<ImportBatch>().id);
    expect(batch.state).toBe('invalid');
    expect(batch.errors.map((e) => [e.row, e.code])).toEqual([
      [1, 'import.missing_column'],
      [1, 'import.missing_column'],
      [1, 'import.missing_column'],
    ]);
  });
});

describe('parking import', () => {
  const headers = ['车场编号', '车场名称', '车场类型', '车位号', '产权性质', '车位面积', '车位状态', '车牌号', '车主证件号码或手机号', '品牌', '颜色'];
  it('creates lots, spaces and vehicles matched to residents, and checks plates and owners', async () => {
    // The plate 沪B99999 is registered in community B first.
    const b = await importFile(c, managerB, 'parking', communityB, await workbook(headers, [['P', 'B 车场', '地面', '001', '租赁', null, null, '沪B99999', null, null, null]]));
    expect(b.state).toBe('committed');
    const rows = [
      ['B1', '地下一层', '地下', '001', '产权', '12.5', null, '京A 12345', '13900000001', '大众', '白色'],
      ['B1', '地下一层', null, '002', 'rented', null, 'Vacant', null, null, null, null],
      ['B1', null, null, '003', null, '12.345', null, 'XYZ', null, null, null],
      ['B1', null, null, '001', null, null, null, null, null, null, null],
      ['B1', null, null, '004', null, null, null, '沪B99999', null, null, null],
      ['B1', null, null, '005', null, null, null, '京A12345', '13000000000', null, null],
    ];
    const res = await uploadImport(managerA, { kind: 'parking', communityId: communityA }, await workbook(headers, rows));
    const bad = await settle(c, managerA, res.json<ImportBatch>().id);
    expect(bad.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, '车位面积', 'import.invalid_area'],
      [4, '车牌号', 'import.invalid_plate'],
      [5, '车位号', 'import.duplicate_in_file'],
      [6, '车牌号', 'import.plate_taken'],
      [7, '车牌号', 'import.duplicate_in_file'],
    ]);
    const good = await importFile(c, managerA, 'parking', communityA, await workbook(headers, rows.slice(0, 2)));
    expect(good).toMatchObject({ state: 'committed', counts: { created: 2, unchanged: 0 } });
    const vehicle = await c.database.db.selectFrom('vehicles as v').innerJoin('persons as p', 'p.id', 'v.person_id').select(['v.plate', 'p.name']).where('v.community_id', '=', communityA).executeTakeFirstOrThrow();
    expect(vehicle).toEqual({ plate: '京A12345', name: 'LibreOffice 1' });
    const unknownOwner = await uploadImport(managerA, { kind: 'parking', communityId: communityA }, await workbook(headers, [['B1', null, null, '009', null, null, null, null, '13000000000', null, null]]));
    expect((await settle(c, managerA, unknownOwner.json<ImportBatch>().id)).errors.map((e) => e.code)).toEqual(['import.person_not_found']);
    const again = await importFile(c, managerA, 'parking', communityA, await workbook(headers, rows.slice(0, 2)));
    expect(again.counts).toEqual({ created: 0, unchanged: 2 });
  });

  it('records the owner column as the person’s occupancy of the space (产权 → owner, 租赁 → tenant, from the import day), space occupied; again → unchanged', async () => {
    const rows = [
      ['C1', '地面车场', '地面', '101', '产权', null, null, null, '13900000001', null, null],
      ['C1', null, null, '102', '租赁', null, null, '京C 00001', '13900000001', null, null],
      ['C1', null, null, '103', '租赁', null, null, null, null, null, null],
    ];
    const first = await importFile(c, managerA, 'parking', communityA, await workbook(headers, rows));
    expect(first).toMatchObject({ state: 'committed', counts: { created: 3, unchanged: 0 } });
    const held = () =>
      c.database.db
        .selectFrom('parking_spaces as s')
        .innerJoin('parking_lots as l', 'l.id', 's.parking_lot_id')
        .leftJoin('occupancies as o', 'o.parking_space_id', 's.id')
        .leftJoin('persons as p', 'p.id', 'o.person_id')
        .select(['s.number', 's.state', 'o.relation', 'o.moved_in_on', 'o.moved_out_on', 'p.name'])
        .where('l.code', '=', 'C1')
        .where('s.community_id', '=', communityA)
        .orderBy('s.number')
        .execute();
    const today = c.clock.now().toISOString().slice(0, 10);
    expect(await held()).toEqual([
      { number: '101', state: 'occupied', relation: 'owner', moved_in_on: today, moved_out_on: null, name: 'LibreOffice 1' },
      { number: '102', state: 'occupied', relation: 'tenant', moved_in_on: today, moved_out_on: null, name: 'LibreOffice 1' },
      { number: '103', state: 'vacant', relation: null, moved_in_on: null, moved_out_on: null, name: null },
    ]);
    // The person's record lists the spaces, as after a move-in through the console.
    const personId = (await c.database.db.selectFrom('persons').select('id').where('name', '=', 'LibreOffice 1').where('community_id', '=', communityA).executeTakeFirstOrThrow()).id;
    const listed = (await managerA.get(`/api/persons/${personId}/occupancies`)).json<{ items: { parkingSpaceNumber: string | null; relation: string }[] }>();
    expect(listed.items.filter((o) => o.parkingSpaceNumber !== null).map((o) => [o.parkingSpaceNumber, o.relation])).toEqual(expect.arrayContaining([['101', 'owner'], ['102', 'tenant']]));

    // The same file again adds nothing, even once the real moved-in date was entered in the
    // console: the occupancy is matched by person and space, not by date.
    await c.database.db.updateTable('occupancies').set({ moved_in_on: '2019-05-01' }).where('person_id', '=', personId).where('parking_space_id', 'is not', null).execute();
    const again = await importFile(c, managerA, 'parking', communityA, await workbook(headers, rows));
    expect(again.counts).toEqual({ created: 0, unchanged: 3 });
    // The existing vacant space 103 given a holder: an occupancy, and the space becomes occupied.
    const more = await importFile(c, managerA, 'parking', communityA, await workbook(headers, [['C1', null, null, '103', null, null, null, null, '13900000001', null, null]]));
    expect(more.counts).toEqual({ created: 1, unchanged: 0 });
    expect((await held()).at(-1)).toMatchObject({ number: '103', state: 'occupied', relation: 'tenant', name: 'LibreOffice 1' });
  });
});

describe('exports', () => {
  it('exports persons as CSV with a BOM, RFC 4180 quoting, masked personal data, only the caller’s communities, audited with the row count', async () => {
    const res = await managerA.request('GET', '/api/exports/persons.csv', undefined, { 'accept-language': 'zh-CN' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = res.rawPayload.toString('utf8').slice(1);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^小区,姓名,人员类型/);
    expect(text).toContain('139****0001');
    expect(text).not.toContain('13900000001');
    expect(text).toContain('1101**********');
    expect(text).not.toContain('110105197002020019');
    expect(lines.every((l) => !l.startsWith('小区 EB'))).toBe(true);
    const count = await c.database.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityA).executeTakeFirstOrThrow();
    expect(lines.length - 1).toBe(Number(count.n));
    const audit = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'data.export').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.after_json))).toMatchObject({ list: 'persons', format: 'csv', rowCount: Number(count.n) });
  });

  it('quotes fields with commas, quotes and line breaks', async () => {
    const { csvLine } = await import('../../src/modules/data-exchange/workbook.js');
    expect(csvLine(['a,b', 'say "hi"', 'line\nbreak', null, 5])).toBe('"a,b","say ""hi""","line\nbreak",,5\r\n');
  });

  it('exports rooms as .xlsx with English headers and the list filters', async () => {
    const res = await managerA.request('GET', `/api/exports/rooms.xlsx?communityId=${communityA}&q=1-1-10`, undefined, { 'accept-language': 'en-US' });
    expect(res.statusCode).toBe(200);
    const [ws] = await readXlsx(res.rawPayload);
    expect((ws!.getRow(1).values as string[]).slice(1, 3)).toEqual(['Community', 'Room code']);
    const codes = [];
    for (let r = 2; r <= ws!.rowCount; r++) codes.push(ws!.getRow(r).getCell(2).text);
    expect(codes.sort()).toEqual(['1-1-101', '1-1-102', '1-1-103', '1-1-104', '1-1-105', '1-1-106', '1-1-107', '1-1-108', '1-1-109']);
  });

  it('a user of A gets 403 for B’s rows and none of them in an unfiltered export; an all-communities user gets both', async () => {
    const denied = await managerA.get(`/api/exports/rooms.csv?communityId=${communityB}`);
    expect([denied.statusCode, denied.json<{ code: string }>().code]).toEqual([403, 'auth.out_of_scope']);
    const mine = (await managerA.get('/api/exports/rooms.csv')).rawPayload.toString('utf8');
    expect(mine).not.toContain('9-1-101');
    const all = (await admin.get('/api/exports/rooms.csv')).rawPayload.toString('utf8');
    expect(all).toContain('9-1-101');
    expect(all).toContain('1-1-101');
    for (const list of ['parking-spaces', 'vehicles', 'renovations']) {
      const res = await managerA.get(`/api/exports/${list}.xlsx`);
      expect([list, res.statusCode]).toEqual([list, 200]);
    }
    const vehicles = (await managerA.get('/api/exports/vehicles.csv')).rawPayload.toString('utf8');
    expect(vehicles).toContain('京A12345');
    expect(vehicles).not.toContain('沪B99999');
  });

  it('needs the export permission', async () => {
    await makeUser(c, { username: 'guard_a', role: 'guard', communityId: communityA });
    const guard = await signIn('guard_a');
    const res = await guard.get('/api/exports/persons.csv');
    expect(res.statusCode).toBe(403);
  });
});
