/**
 * Import benchmark (issue #4): a generated 100,000-row people workbook, read once with ExcelJS's
 * raw streaming reader (the ceiling), then imported for real — upload, validation job, commit job —
 * on SQLite. Target: the full import reaches at least 0.35x the raw read's rows/s.
 *
 * BENCH_IMPORT_ROWS overrides the row count (e.g. for a quick run).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { systemClock } from '../server/src/core/clock.js';
import { openSqlite } from '../server/src/core/db/database.js';
import type { Database } from '../server/src/core/db/schema.js';
import { systemContext } from '../server/src/core/http/context.js';
import { createCourtyard } from '../server/src/app.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const HEADERS = ['姓名', '人员类型', '性别', '手机号', '证件类型', '证件号码', '邮箱', '房屋编码', '关系', '入住日期', '主要联系人', '紧急联系人', '紧急联系电话', '备注'];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function residentId(n: number): string {
  const day = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first = `110105${day}${String(n % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first[i]) * W[i]!;
  return first + '10X98765432'[sum % 11]!;
}
const roomCode = (i: number) => `${1 + Math.floor(i / 1000)}-${1 + Math.floor((i % 1000) / 100)}-${101 + (i % 100)}`;

/**
 * The generated workbook, written the way Excel does: `[Content_Types].xml` first. (ExcelJS's
 * streaming writer puts it last, and the files module's sniffing only looks at the first 256 KiB
 * of a zip for it.)
 */
async function write(headers: string[], rows: (i: number) => (string | number | null)[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(headers);
  for (let i = 0; i < ROWS; i++) ws.addRow(rows(i));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function rawRead(buf: Buffer): Promise<number> {
  const start = performance.now();
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' });
  for await (const ws of reader) for await (const row of ws) if (row.number > 1) n += 1;
  if (n !== ROWS) throw new Error(`raw read saw ${n} rows`);
  return n / ((performance.now() - start) / 1000);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-bench-import-'));
const database = openSqlite<Database>({ file: path.join(dataDir, 'bench.db') });
const c = await createCourtyard({ database, secrets: { fieldKey: crypto.randomBytes(32), auditKey: crypto.randomBytes(32), sessionSecret: crypto.randomBytes(32) }, clock: systemClock, files: { dataDir } });
try {
  const ctx = systemContext('bench');
  const communityId = await c.database.db.transaction().execute((tx) => c.services.properties.createCommunity(tx, ctx, { code: 'BENCH', name: '基准小区', address: '基准路 1 号', type: 'residential' }));

  console.log(`generating ${ROWS} rooms and ${ROWS} people rows …`);
  const rooms = await write(['楼栋编号', '单元编号', '房号', '楼层', '建筑面积', '用途'], (i) => {
    const [b, u, n] = roomCode(i).split('-');
    return [b!, u!, n!, Math.floor(Number(n) / 100), '89.50', '住宅'];
  });
  const people = await write(HEADERS, (i) => [`住户${i}`, '个人', i % 2 ? '男' : '女', `139${String(i).padStart(8, '0')}`, '居民身份证', residentId(i), null, roomCode(i), '业主', '2024-01-01', '是', null, null, null]);
  console.log(`people workbook: ${(people.length / 1024 / 1024).toFixed(1)} MiB`);

  const run = async (kind: 'rooms' | 'people', file: Buffer) => {
    const batch = await c.services.imports.upload(ctx, { kind, communityId, fileName: `${kind}.xlsx` }, Readable.from([file]), undefined, { queue: false });
    const t0 = performance.now();
    await c.services.imports.validate(batch.id);
    const t1 = performance.now();
    const valid = await c.services.imports.get(ctx, batch.id);
    if (valid.state !== 'valid') throw new Error(`${kind}: ${valid.state} ${JSON.stringify(valid.errors.slice(0, 3))}`);
    await c.services.imports.commit(ctx, batch.id, { queue: false });
    await c.services.imports.runCommit(batch.id);
    const t2 = performance.now();
    const done = await c.services.imports.get(ctx, batch.id);
    if (done.state !== 'committed' || done.counts.created !== ROWS) throw new Error(`${kind}: ${done.state} ${JSON.stringify(done.counts)} ${done.failure ?? ''}`);
    return { validate: (t1 - t0) / 1000, commit: (t2 - t1) / 1000 };
  };
  await run('rooms', rooms);

  const raw = await rawRead(people);
  const timing = await run('people', people);
  const total = timing.validate + timing.commit;
  const rate = ROWS / total;
  console.log(`raw ExcelJS streaming read: ${Math.round(raw)} rows/s`);
  console.log(`validate ${timing.validate.toFixed(1)} s, commit ${timing.commit.toFixed(1)} s`);
  console.log(`import people: ${Math.round(rate)} rows/s (${(rate / raw).toFixed(2)} x of raw ExcelJS read ${Math.round(raw)} rows/s)`);
  if (rate / raw < 0.35) process.exitCode = 1;
} finally {
  await c.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
