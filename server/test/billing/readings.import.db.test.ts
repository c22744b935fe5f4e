import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meter, ReadingImportReport } from '@courtyard/contracts';
import { startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { multipart } from '../files/fixtures.js';
import { runsEstate, signedIn } from './runs.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof runsEstate>>;
let tech: Client;
let meter: Meter;

async function workbook(rows: (string | number | Date | null)[][], headers = ['表号', '抄表日期', '读数', '翻转']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('抄表');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(data: Buffer, commit: boolean): Promise<ReadingImportReport> {
  const body = multipart({ communityId: e.communityId, commit: String(commit) }, { name: 'readings.xlsx', data, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const res = await tech.request('POST', '/api/meter-readings/import', body.payload, { 'content-type': body.contentType });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ReadingImportReport>();
}

beforeAll(async () => {
  c = await startCourtyard();
  e = await runsEstate(c, 'IMP', [{ number: '101' }, { number: '102' }]);
  const manager = await signedIn(c, 'imp_mgr', 'property_manager', e.communityId);
  tech = await signedIn(c, 'imp_tech', 'technician', e.communityId);
  meter = (await manager.post('/api/meters', { communityId: e.communityId, kind: 'water', roomId: e.rooms[0], serialNumber: 'W-101' })).json<Meter>();
  await manager.post('/api/meters', { communityId: e.communityId, kind: 'water', roomId: e.rooms[1], serialNumber: 'W-102' });
});
afterAll(() => c.dispose());

const count = async () => (await c.database.db.selectFrom('meter_readings').select('id').execute()).length;

describe('Excel import of readings (抄表导入): template, validation report, all or nothing', () => {
  it('serves a template whose header the import recognises', async () => {
    const res = await tech.get('/api/meter-readings/template.xlsx?lang=en-US');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, 'Serial number', 'Read on', 'Reading', 'Rolled over']);
  });

  it('reports every bad row with its row number, column and code, and writes nothing — not even the good rows', async () => {
    const data = await workbook([
      ['W-101', '2026-01-31', 100, null],
      ['W-101', '2026-02-28', 90, '否'],
      ['W-999', '2026-01-31', 5, null],
      ['W-102', '2026/2/30', 'abc', '也许'],
    ]);
    const report = await upload(data, true);
    expect(report).toMatchObject({ rows: 4, accepted: 0, committed: false });
    expect(report.errors.map((x) => [x.row, x.column, x.code])).toEqual([
      [5, '抄表日期', 'invalid_date'],
      [5, '读数', 'invalid_number'],
      [5, '翻转', 'invalid_flag'],
    ]);
    expect(await count()).toBe(0);
    // Row checks pass once the file is fixed; the readings' own checks then refuse what cannot be right.
    const second = await upload(await workbook([['W-101', '2026-01-31', 100, null], ['W-101', '2026-02-28', 90, '否'], ['W-999', '2026-01-31', 5, null]]), true);
    expect(second.errors.map((x) => [x.row, x.column, x.code])).toEqual([
      [3, '读数', 'reading_lower'],
      [4, '表号', 'unknown_meter'],
    ]);
    expect(second.committed).toBe(false);
    expect(await count()).toBe(0);
  });

  it('a dry run checks and keeps nothing; the commit enters every row at once (source import)', async () => {
    const good = await workbook([
      ['W-101', new Date(Date.UTC(2026, 0, 31)), 100, null],
      ['W-101', '2026-02-28', '112.5', '否'],
      ['W-102', '2026年1月31日', 7, null],
    ]);
    expect(await upload(good, false)).toMatchObject({ rows: 3, accepted: 3, committed: false, errors: [] });
    expect(await count()).toBe(0);
    expect(await upload(good, true)).toMatchObject({ rows: 3, accepted: 3, committed: true, errors: [] });
    const stored = await c.database.db.selectFrom('meter_readings').selectAll().where('meter_id', '=', meter.id).orderBy('read_on').execute();
    expect(stored.map((r) => [r.read_on, Number(r.reading_e3), r.usage_e3 === null ? null : Number(r.usage_e3), r.source])).toEqual([
      ['2026-01-31', 100_000, null, 'import'],
      ['2026-02-28', 112_500, 12_500, 'import'],
    ]);
    // Importing the same file again is refused row by row (already read that day, or before the latest reading).
    const again = await upload(good, true);
    expect(again.committed).toBe(false);
    expect(again.errors.map((x) => [x.row, x.code])).toEqual([
      [2, 'date_not_after_previous'],
      [3, 'duplicate_date'],
      [4, 'duplicate_date'],
    ]);
    expect(await count()).toBe(3);
  });
});
