/**
 * Bill run benchmark (issue 5): BENCH_ROOMS rooms (default 100,000) × 3 fee items (property fee by
 * area, a fixed garbage fee, metered water with tiers) into a database that already holds 12 months
 * of history for those rooms (bills, meter readings, receivable balances — seeded set-based with
 * direct prepared inserts on SQLite and COPY on PostgreSQL, not through the run).
 *
 * Measured in the same run on the same pre-filled table:
 *   raw   — the same bill rows (same columns, explanation sizes and unique keys), inserted by one prepared
 *           statement in a loop (SQLite) or by COPY (PostgreSQL) inside a transaction that is rolled
 *           back, so the run meets the table exactly as it was;
 *   run   — the bill run itself, executed by the server's job worker in a child process (bills,
 *           one ledger transaction per issuing slice, audit, progress): bills/s between the job's start
 *           and the run's finish. Target ≥ 50 % of raw.
 * While the run goes on the bench polls the server's /healthz every 50 ms (max latency, target
 * < 100 ms) and samples the server's RSS (peak, and its rise over the run: memory stays flat).
 *
 *   npm run bench:bill-run                         (both databases, 100,000 rooms)
 *   BENCH_ROOMS=2000 BENCH_DB=sqlite npm run bench:bill-run
 *   BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres (admin URL; a scratch database is created and dropped)
 *   BENCH_SERVER_HEAP_MB=160                       (cap the server's V8 heap: the run must still complete)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { v7 } from 'uuid';
import { loadConfig } from '../server/src/config.js';
import { openFromConfig } from '../server/src/bootstrap.js';
import { createCourtyard, type Courtyard } from '../server/src/app.js';
import { systemClock } from '../server/src/core/clock.js';
import { systemContext } from '../server/src/core/http/context.js';
import { computeCharge } from '../server/src/modules/billing/engine/index.js';

const ROOMS = Number(process.env.BENCH_ROOMS ?? 100_000);
const WHICH = (process.env.BENCH_DB ?? 'both') as 'sqlite' | 'postgres' | 'both';
const PG_ADMIN = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(import.meta.dirname, '..');
const sys = systemContext('bench');
const HISTORY_MONTHS = 12;
const RUN_LABEL = '2026-11';

const months = Array.from({ length: HISTORY_MONTHS }, (_, i) => {
  const d = new Date(Date.UTC(2025, 10 + i, 1));
  const end = new Date(Date.UTC(2025, 11 + i, 0));
  return { label: d.toISOString().slice(0, 7), start: d.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
});
/** Month-end reading dates: one before the history, one per history month, one in the run's month. */
const readingDays = ['2025-10-31', ...months.map((m) => m.end), '2026-11-30'];

interface Estate {
  communityId: string;
  buildingId: string;
  unitId: string;
  fees: { property: string; garbage: string; water: string };
}

const BILL_COLUMNS = [
  'id', 'community_id', 'room_id', 'parking_space_id', 'subject_id', 'person_id', 'fee_item_id', 'bill_run_id', 'source', 'period_start_on', 'period_end_on', 'period_label', 'due_on',
  'amount_cents', 'discount_cents', 'waived_cents', 'late_fee_cents', 'late_fee_waived_cents', 'late_fee_through_on', 'paid_cents', 'status', 'explanation_json', 'unique_key', 'issued_at', 'updated_at', 'paid_at',
] as const;
type Cell = string | number | null;

/** Explanations as the engine writes them for these three fee items (what makes a bill row's size). */
function explanations(): Record<'property' | 'garbage' | 'water', { json: string; cents: number }> {
  const period = { start: '2026-11-01', end: '2026-11-30' };
  const ex = (r: ReturnType<typeof computeCharge>) => ({ json: JSON.stringify(r.explanation), cents: r.cents });
  return {
    property: ex(computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }], label: '物业费' })),
    garbage: ex(computeCharge({ kind: 'fixed', period, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 100000 }], label: '垃圾费' })),
    water: ex(computeCharge({ kind: 'tiered', qtyE3: 12000, scope: 'period', tiers: [{ upToE3: 20000, priceE4: 30000 }, { upToE3: null, priceE4: 40000 }], label: '水费' })),
  };
}

/** Bill rows of one month for every room, generated lazily (memory stays flat while seeding). */
function* billRows(e: Estate, rooms: string[], label: string, start: string, end: string, keyPrefix: string, paid: boolean): Generator<Cell[]> {
  const ex = explanations();
  const at = `${end}T01:00:00.000Z`;
  for (const room of rooms) {
    for (const [kind, fee] of [['property', e.fees.property], ['garbage', e.fees.garbage], ['water', e.fees.water]] as const) {
      const x = ex[kind];
      yield [v7(), e.communityId, room, null, room, null, fee, null, 'run', start, end, label, end, x.cents, 0, 0, 0, 0, null, paid ? x.cents : 0, paid ? 'paid' : 'open', x.json, `${keyPrefix}:${fee}:${room}:${label}`, at, at, paid ? at : null];
    }
  }
}

function* readingRows(e: Estate, meters: { id: string }[]): Generator<Cell[]> {
  const at = '2026-12-01T00:00:00.000Z';
  for (const m of meters) {
    let value = 0;
    for (let i = 0; i < readingDays.length; i++) {
      const usage = i === 0 ? null : 8_000 + (i % 5) * 1_000;
      value += usage ?? 0;
      yield [v7(), e.communityId, m.id, readingDays[i]!, value, usage, 0, 'import', '{"reasons":[]}', 'accepted', null, null, 'bench', at];
    }
  }
}
const READING_COLUMNS = ['id', 'community_id', 'meter_id', 'read_on', 'reading_e3', 'usage_e3', 'rolled_over', 'source', 'flags_json', 'review_status', 'reviewed_by', 'reviewed_at', 'entered_by', 'created_at'] as const;

// ---------------------------------------------------------------- writers (SQLite prepared / PG COPY)

interface Writer {
  /** Inserts rows; returns the seconds spent in the database calls. */
  insert(table: string, columns: readonly string[], rows: Iterable<Cell[]>, options?: { rollback?: boolean }): Promise<number>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(file: string): Writer {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 60000');
  // A large page cache while seeding the history (random uuid keys in seven indexes).
  db.pragma('cache_size = -524288');
  return {
    insert(table, columns, rows, options = {}) {
      const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      let spent = 0;
      let batch: Cell[][] = [];
      const flush = () => {
        const t = performance.now();
        db.transaction((list: Cell[][]) => {
          for (const r of list) stmt.run(r);
        })(batch);
        spent += performance.now() - t;
        batch = [];
      };
      if (options.rollback) {
        // The page cache the server's connection has (openSqlite: 64 MiB).
        db.pragma('cache_size = -65536');
        // Everything in one transaction that is rolled back: the table is left as it was.
        const all = [...rows];
        const t = performance.now();
        db.exec('begin');
        for (const r of all) stmt.run(r);
        spent = performance.now() - t;
        db.exec('rollback');
        return Promise.resolve(spent / 1000);
      }
      for (const r of rows) {
        batch.push(r);
        if (batch.length === 50_000) flush();
      }
      if (batch.length) flush();
      return Promise.resolve(spent / 1000);
    },
    exec(sql) {
      db.exec(sql);
      return Promise.resolve();
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

const copyText = (v: Cell) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

function pgWriter(url: string): Writer {
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  return {
    async insert(table, columns, rows, options = {}) {
      await connected;
      const lines = (function* () {
        let chunk = '';
        for (const r of rows) {
          chunk += r.map(copyText).join('\t') + '\n';
          if (chunk.length > 1 << 20) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      })();
      // For the raw baseline the rows are generated first so only COPY itself is timed.
      const source = options.rollback ? [...lines] : lines;
      const t = performance.now();
      await client.query('begin');
      await pipeline(Readable.from(source), client.query(copyStreams.from(`copy ${table} (${columns.join(', ')}) from stdin`)));
      const spent = performance.now() - t;
      await client.query(options.rollback ? 'rollback' : 'commit');
      return spent / 1000;
    },
    async exec(sql) {
      await connected;
      await client.query(sql);
    },
    async close() {
      await client.end();
    },
  };
}

// ---------------------------------------------------------------- estate through the services (small), rooms and history set-based

async function seedEstate(c: Courtyard): Promise<Estate> {
  const s = c.services;
  const communityId = await c.database.db.transaction().execute((tx) => s.properties.createCommunity(tx, sys, { code: 'BENCH', name: '基准小区', address: '基准路 1 号', type: 'residential' }));
  const building = await s.properties.createBuilding(sys, { communityId, code: '1', name: '1号楼', floors: 30 });
  const unit = await s.properties.createUnit(sys, { buildingId: building.id, code: '1', name: '1单元' });
  const item = (code: string, name: string, category: 'property' | 'water') => s.billing.fees.create(sys, { communityId, code, name, category, dueDays: 15 });
  const items = [await item('WYF', '物业费', 'property'), await item('LJF', '垃圾费', 'property'), await item('SF', '水费', 'water')];
  const fees = { property: items[0]!.id, garbage: items[1]!.id, water: items[2]!.id };
  const rules = s.billing.rules;
  const property = await rules.create(sys, { communityId, feeItemId: fees.property, name: '物业费', kind: 'area_building', price: { effectiveOn: '2020-01-01', price: '2.35' } });
  const garbage = await rules.create(sys, { communityId, feeItemId: fees.garbage, name: '垃圾费', kind: 'fixed_per_room', price: { effectiveOn: '2020-01-01', price: '10' } });
  const water = await rules.create(sys, {
    communityId,
    feeItemId: fees.water,
    name: '阶梯水费',
    kind: 'metered',
    meterKind: 'water',
    tierScope: 'period',
    price: { effectiveOn: '2020-01-01', tiers: [{ upTo: '20', price: '3.00' }, { upTo: null, price: '4.00' }] },
  });
  for (const r of [property, garbage, water]) await rules.addAssignment(sys, r.id, { targetType: 'community', targetId: communityId, effectiveOn: '2020-01-01' });
  return { communityId, buildingId: building.id, unitId: unit.id, fees };
}

async function seedVolume(w: Writer, e: Estate): Promise<{ rooms: string[] }> {
  const at = '2020-01-01T00:00:00.000Z';
  const rooms = Array.from({ length: ROOMS }, () => v7()).sort();
  let t = performance.now();
  await w.insert(
    'rooms',
    ['id', 'community_id', 'building_id', 'unit_id', 'number', 'code', 'floor', 'building_area_dm2', 'inner_area_dm2', 'use', 'state', 'delivered_on', 'created_at', 'updated_at'],
    rooms.map((id, i) => [id, e.communityId, e.buildingId, e.unitId, String(100_000 + i), `1-1-${100_000 + i}`, 1 + (i % 30), 6_000 + (i % 9_000), 5_000 + (i % 5_000), 'residence', 'occupied', '2020-01-01', at, at]),
  );
  const meters = rooms.map((room, i) => ({ id: v7(), room, serial: `W-${100_000 + i}` }));
  await w.insert(
    'meters',
    ['id', 'community_id', 'kind', 'room_id', 'building_id', 'serial_number', 'multiplier_e4', 'max_value_e3', 'active', 'created_at', 'updated_at'],
    meters.map((m) => [m.id, e.communityId, 'water', m.room, e.buildingId, m.serial, 10_000, null, 1, at, at]),
  );
  console.log(`  rooms and meters: ${ROOMS} each in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await w.insert('meter_readings', READING_COLUMNS, readingRows(e, meters));
  console.log(`  readings: ${ROOMS * readingDays.length} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  for (const m of months) await w.insert('bills', BILL_COLUMNS, billRows(e, rooms, m.label, m.start, m.end, 'run', true));
  console.log(`  history bills: ${ROOMS * 3 * HISTORY_MONTHS} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // The rooms' receivable accounts exist (their history is settled): the run's postings update them.
  const now = new Date().toISOString();
  await w.insert('ledger_balances', ['community_id', 'account', 'subject_id', 'balance_cents', 'updated_at'], rooms.map((r) => [e.communityId, 'receivable', r, 0, now]));
  return { rooms };
}

// ---------------------------------------------------------------- the server child, /healthz and RSS sampling

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_SERVER_HEAP_MB caps the server's V8 heap: a run that completes under a small cap holds
  // no more than that, whatever the RSS shows of garbage V8 has not yet collected.
  if (process.env.BENCH_SERVER_HEAP_MB) profile.push(`--max-old-space-size=${Number(process.env.BENCH_SERVER_HEAP_MB)}`);
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'server/src/main.ts')], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

/** The server's garbage collections so far, by kind (prom-client's histogram on /metrics): count, total, how many took over 100 ms. */
async function serverGc(port: number): Promise<string> {
  const lines = (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).split('\n');
  const value = (series: string, ...labels: string[]) => Number(lines.find((l) => l.includes(`gc_duration_seconds_${series}{`) && labels.every((x) => l.includes(x)))?.split(' ').pop() ?? 0);
  return ['minor', 'major', 'incremental']
    .map((kind) => {
      const count = value('count', `kind="${kind}"`);
      const upTo100 = value('bucket', `kind="${kind}"`, 'le="0.1"');
      return `${kind} ${count} (${Math.round(value('sum', `kind="${kind}"`) * 1000)} ms, ${count - upTo100} over 100 ms)`;
    })
    .join(', ');
}

interface Figures {
  dialect: string;
  rooms: number;
  bills: number;
  runSeconds: number;
  runBillsPerSecond: number;
  rawRows: number;
  rawSeconds: number;
  rawRowsPerSecond: number;
  ratio: number;
  healthzPolls: number;
  healthzMaxMs: number;
  healthzP99Ms: number;
  serverRssBeforeMb: number;
  serverRssMaxDuringMb: number;
  serverPeakRssMb: number;
  /** Anonymous memory (heap and native allocations): VmRSS also counts the SQLite file pages the server maps (mmap_size). */
  serverAnonBeforeMb: number;
  serverAnonMaxDuringMb: number;
}

async function bench(dialect: 'sqlite' | 'postgres'): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(root, 'bench', `.tmp-bill-run-${dialect}-`));
  let dbName: string | null = null;
  let databaseUrl = '';
  if (dialect === 'postgres') {
    dbName = `courtyard_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName}`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    databaseUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${dbName}`);
  }
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', COURTYARD_ADMIN_PASSWORD: 'Bench#Admin2026', COURTYARD_SEED_DEMO: 'false' };
  console.log(`\n[${dialect}] ${ROOMS} rooms × 3 fee items, ${HISTORY_MONTHS} months of history, data in ${dataDir}`);
  const { database, secrets } = await openFromConfig(loadConfig(env));
  const c = await createCourtyard({ database, secrets, clock: systemClock });
  const writer = dialect === 'sqlite' ? sqliteWriter(path.join(dataDir, 'courtyard.db')) : pgWriter(databaseUrl);
  let child: ChildProcess | undefined;
  try {
    const estate = await seedEstate(c);
    const { rooms } = await seedVolume(writer, estate);
    // Fold the seed's write-ahead log into the database now, not during the run's first commit.
    // PostgreSQL: a checkpoint now, so the seed's dirty pages are not written out during the
    // baseline's COPY (it measured 12.7–19.2 s for the same rows without one).
    await writer.exec(dialect === 'postgres' ? 'analyze' : 'pragma wal_checkpoint(TRUNCATE); analyze');
    if (dialect === 'postgres') await writer.exec('checkpoint');

    // Raw baseline: the same number of bill rows into the same pre-filled table, rolled back.
    const rawSeconds = await writer.insert('bills', BILL_COLUMNS, billRows(estate, rooms, RUN_LABEL, '2026-11-01', '2026-11-30', 'run', false), { rollback: true });
    const rawRows = ROOMS * 3;
    console.log(`  raw ${dialect === 'sqlite' ? 'prepared inserts' : 'COPY'}: ${rawRows} rows in ${rawSeconds.toFixed(2)} s = ${Math.round(rawRows / rawSeconds)} rows/s`);
    if (dialect === 'postgres') {
      await writer.exec('vacuum analyze bills');
      await writer.exec('checkpoint');
    } else {
      // The rolled-back baseline spilled its pages into the write-ahead log (gigabytes, dirty in
      // the operating system's cache): truncated now, or the kernel writes them back during the
      // run and throttles the server's own writes (the server's first commit took ≈ 1 s, and
      // single 100-row inserts of the run stalled ≈ 100 ms). The analogue of PostgreSQL's checkpoint.
      await writer.exec('pragma wal_checkpoint(TRUNCATE)');
    }

    const port = 3900 + Math.floor(Math.random() * 90);
    child = await startServer(env, port);
    const pid = child.pid!;
    const rssBefore = rssKb(pid, 'VmRSS');
    let rssMax = rssBefore;
    const anonBefore = rssKb(pid, 'RssAnon');
    let anonMax = anonBefore;
    const latencies: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t = performance.now();
        try {
          await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
        } catch {
          // a timeout counts with its full latency
        }
        latencies.push(performance.now() - t);
        rssMax = Math.max(rssMax, rssKb(pid, 'VmRSS'));
        anonMax = Math.max(anonMax, rssKb(pid, 'RssAnon'));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // Where a slow poll comes from: this process's own pauses, or the server's (its GC below).
    const benchLoop = monitorEventLoopDelay({ resolution: 10 });
    benchLoop.enable();
    const run = await c.services.billing.runs.start(sys, { communityId: estate.communityId, periodLabel: RUN_LABEL, feeItemIds: [estate.fees.property, estate.fees.garbage, estate.fees.water] });
    let row;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      row = await c.database.db.selectFrom('bill_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
      if (row.status !== 'running') break;
    }
    polling = false;
    await poller;
    benchLoop.disable();
    const gc = await serverGc(port);
    if (row.status !== 'done') throw new Error(`run ${row.status}: ${row.error}`);
    const job = await c.database.db.selectFrom('jobs').select(['started_at']).where('id', '=', row.job_id!).executeTakeFirstOrThrow();
    const runSeconds = (Date.parse(row.finished_at!) - Date.parse(String(job.started_at))) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const figures: Figures = {
      dialect,
      rooms: ROOMS,
      bills: row.bills_inserted,
      runSeconds,
      runBillsPerSecond: Math.round(row.bills_inserted / runSeconds),
      rawRows,
      rawSeconds,
      rawRowsPerSecond: Math.round(rawRows / rawSeconds),
      ratio: 0,
      healthzPolls: latencies.length,
      healthzMaxMs: Math.round(sorted[sorted.length - 1] ?? 0),
      healthzP99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      serverRssBeforeMb: Math.round(rssBefore / 1024),
      serverRssMaxDuringMb: Math.round(rssMax / 1024),
      serverPeakRssMb: Math.round(rssKb(pid, 'VmHWM') / 1024),
      serverAnonBeforeMb: Math.round(anonBefore / 1024),
      serverAnonMaxDuringMb: Math.round(anonMax / 1024),
    };
    figures.ratio = Math.round((figures.runBillsPerSecond / figures.rawRowsPerSecond) * 1000) / 1000;
    console.log(`  run: ${figures.bills} bills in ${runSeconds.toFixed(2)} s = ${figures.runBillsPerSecond} bills/s → ${(figures.ratio * 100).toFixed(1)} % of raw (target ≥ 50 %)`);
    console.log(`  /healthz: ${figures.healthzPolls} polls, max ${figures.healthzMaxMs} ms, p99 ${figures.healthzP99Ms} ms (target < 100 ms)`);
    console.log(`  polls over 100 ms: ${latencies.filter((l) => l > 100).length}; the bench's own event loop stalled up to ${Math.round(benchLoop.max / 1e6)} ms; server GC: ${gc}`);
    console.log(`  server RSS: ${figures.serverRssBeforeMb} MB before, ${figures.serverRssMaxDuringMb} MB max during the run, peak ${figures.serverPeakRssMb} MB; anonymous ${figures.serverAnonBeforeMb} → ${figures.serverAnonMaxDuringMb} MB`);
    return figures;
  } finally {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await writer.close();
    await c.close();
    if (process.env.BENCH_KEEP) console.log(`  kept ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
    if (dbName && process.env.BENCH_KEEP) console.log(`  kept database ${dbName}`);
    else if (dbName) {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

const results: Figures[] = [];
if (WHICH !== 'postgres') results.push(await bench('sqlite'));
if (WHICH !== 'sqlite') results.push(await bench('postgres'));
console.log('\n' + JSON.stringify(results, null, 2));
console.log(`(machine: ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GB; shared with other work)`);
