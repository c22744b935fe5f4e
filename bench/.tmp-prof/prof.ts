import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { systemClock } from '../../server/src/core/clock.js';
import { openSqlite } from '../../server/src/core/db/database.js';
import type { Database } from '../../server/src/core/db/schema.js';
import { systemContext } from '../../server/src/core/http/context.js';
import { createCourtyard } from '../../server/src/app.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const rooms = fs.readFileSync(`/tmp/cyprof-rooms-${ROWS}.xlsx`);
const people = fs.readFileSync(`/tmp/cyprof-people-${ROWS}.xlsx`);
async function rawRead(buf: Buffer): Promise<number> {
  const start = performance.now();
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' });
  for await (const ws of reader) for await (const row of ws) if (row.number > 1) n += 1;
  return (performance.now() - start) / 1000;
}
const sqlTimes = new Map<string, { n: number; ms: number }>();
{
  const probe = new SQLite(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as { run: (...a: unknown[]) => unknown; all: (...a: unknown[]) => unknown };
  for (const m of ['run', 'all'] as const) {
    const orig = proto[m];
    proto[m] = function (this: { source: string }, ...a: unknown[]) {
      const t = performance.now();
      try { return orig.apply(this, a); } finally {
        const k = this.source.slice(0, 60).replace(/\s+/g, ' ');
        const e = sqlTimes.get(k) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; sqlTimes.set(k, e);
      }
    };
  }
}
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-prof-'));
const database = openSqlite<Database>({ file: path.join(dataDir, 'bench.db') });
const c = await createCourtyard({ database, secrets: { fieldKey: crypto.randomBytes(32), auditKey: crypto.randomBytes(32), sessionSecret: crypto.randomBytes(32) }, clock: systemClock, files: { dataDir } });
try {
  if (process.env.CACHE) await sql.raw(`pragma cache_size = ${process.env.CACHE}`).execute(c.database.db);
  const ctx = systemContext('bench');
  const communityId = await c.database.db.transaction().execute((tx) => c.services.properties.createCommunity(tx, ctx, { code: 'BENCH', name: '基准小区', address: '基准路 1 号', type: 'residential' }));
  const run = async (kind: 'rooms' | 'people', file: Buffer) => {
    const batch = await c.services.imports.upload(ctx, { kind, communityId, fileName: `${kind}.xlsx` }, Readable.from([file]), undefined, { queue: false });
    const t0 = performance.now();
    console.log('PHASE validate', kind, t0.toFixed(0));
    await c.services.imports.validate(batch.id);
    const t1 = performance.now();
    console.log('PHASE commit', kind, t1.toFixed(0));
    const valid = await c.services.imports.get(ctx, batch.id);
    if (valid.state !== 'valid') throw new Error(`${kind}: ${valid.state} ${JSON.stringify(valid.errors.slice(0, 3))}`);
    await c.services.imports.commit(ctx, batch.id, { queue: false });
    await c.services.imports.runCommit(batch.id);
    const t2 = performance.now();
    console.log('PHASE end', kind, t2.toFixed(0));
    const done = await c.services.imports.get(ctx, batch.id);
    if (done.state !== 'committed' || done.counts.created !== ROWS) throw new Error(`${kind}: ${done.state} ${JSON.stringify(done.counts)} ${done.failure ?? ''}`);
    return { validate: (t1 - t0) / 1000, commit: (t2 - t1) / 1000 };
  };
  console.log('rooms', await run('rooms', rooms));
  if (process.env.PROF_RAW) { console.log('PHASE raw people', performance.now().toFixed(0)); console.log('raw', await rawRead(people)); }
  sqlTimes.clear();
  console.log('people', await run('people', people));
  for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(v.ms.toFixed(0).padStart(7), 'ms', String(v.n).padStart(6), k);
} finally {
  await c.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
