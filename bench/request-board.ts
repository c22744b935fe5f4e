/**
 * Request board benchmark (issue #6): p99 latency through the API of the service desk board
 * (`GET /api/service-requests/board`) of a community holding 200,000 historical requests, on
 * SQLite, next to the hello-world route's p99 in the same run. Target: board p99 < 50 ms.
 *
 *   npm run bench:board
 *
 * The demo company is created by a first start of the server; the history is then inserted
 * set-based (one INSERT … SELECT over a recursive series, not through the API): 99.5% closed,
 * 0.5% still open (a realistic backlog), so the board reads the open requests through the partial
 * indexes of migration 202612030300. The server runs in its own process; autocannon in this one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 8;
const HISTORY = 200_000;
const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-bench-board-'));
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', COURTYARD_ADMIN_PASSWORD: 'Bench#Admin2026', DATABASE_URL: '' };
const port = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;

function start(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
}
async function ready() {
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}
const stop = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null ? resolve() : (p.once('exit', () => resolve()), p.kill('SIGTERM'))));

function seedHistory() {
  const db = new Database(path.join(dataDir, 'courtyard.db'));
  const community = db.prepare(`select id from communities where code = 'CHHY'`).get() as { id: string };
  const categories = db.prepare(`select id from service_categories where community_id = ? and type = 'repair_room' order by id`).all(community.id) as { id: string }[];
  const technicians = db.prepare(`select id from service_technicians where community_id = ? order by id`).all(community.id) as { id: string }[];
  const rooms = db.prepare(`select id, code from rooms where community_id = ? order by id limit 500`).all(community.id) as { id: string; code: string }[];
  db.exec('create temp table pick_cat(k integer primary key, id text); create temp table pick_tech(k integer primary key, id text); create temp table pick_room(k integer primary key, id text, code text)');
  categories.forEach((c, k) => db.prepare('insert into pick_cat values (?, ?)').run(k, c.id));
  technicians.forEach((t, k) => db.prepare('insert into pick_tech values (?, ?)').run(k, t.id));
  rooms.forEach((r, k) => db.prepare('insert into pick_room values (?, ?, ?)').run(k, r.id, r.code));
  const t0 = Date.now();
  // Ids sort before every real (UUIDv7) id: the history is older than the demo's requests.
  db.prepare(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${HISTORY}),
       t(i, at) as (select i, strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || (i * 157) || ' seconds') from n)
     insert into service_requests (id, community_id, number, type, category_id, room_id, location, description, contact_name, contact_phone_enc,
       preferred_from, preferred_to, priority, channel, state, version, requester_user_id, created_by, team_id, technician_id, reject_reason, pause_reason,
       result, lines, cost_cents, rating, rating_comment, reopen_count, accepted_at, dispatched_at, arrived_at, resolved_at, confirmed_at, closed_at,
       sla_accept_minutes, sla_arrive_minutes, sla_resolve_minutes, pauses, sla_stage, sla_due_at, sla_warn_at, warned_stage, escalated_stage,
       accept_met, arrive_met, resolve_met, created_at, updated_at)
     select printf('%08x-0000-7000-8000-%012x', t.i, t.i), @community, printf('BX-2024-%06d', t.i), 'repair_room',
       (select id from pick_cat where k = i % @cats), r.id, r.code, '历史报修记录 ' || i, null, null, null, null,
       case i % 4 when 0 then 'low' when 1 then 'normal' when 2 then 'high' else 'urgent' end, 'phone',
       case when i % 200 = 0 then 'dispatched' when i % 200 = 1 then 'in_progress' else 'closed' end, 6, null, null, null,
       (select id from pick_tech where k = i % @techs), null, null, '已处理', '[]', 0, 3 + i % 3, null, 0,
       t.at, t.at, t.at, t.at, t.at, case when i % 200 < 2 then null else t.at end,
       60, 240, 1440, '[]',
       case when i % 200 < 2 then 'resolve' else null end, case when i % 200 < 2 then t.at else null end, null, null, null,
       1, 1, i % 5 <> 0, t.at, t.at
     from t
     join pick_room r on r.k = t.i % @rooms`,
  ).run({ community: community.id, cats: categories.length, techs: technicians.length, rooms: rooms.length });
  db.exec('analyze');
  const open = db.prepare(`select count(*) as n from service_requests where community_id = ? and state not in ('rejected', 'closed', 'cancelled')`).get(community.id) as { n: number };
  console.log(`inserted ${HISTORY} historical requests in ${Date.now() - t0} ms; ${open.n} open in 翠湖花园`);
  db.close();
  return community.id;
}

interface Figures {
  p99: number;
  p50: number;
  rps: number;
}
function run(title: string, paths: string[], headers: Record<string, string> = {}): Promise<Figures> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      { title, url: base, connections: CONNECTIONS, duration: DURATION, headers, requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }] },
      (err, result) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (result.non2xx > 0 || result.errors > 0) reject(new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors`));
        else resolve({ p99: result.latency.p99, p50: result.latency.p50, rps: result.requests.average });
      },
    );
  });
}

let server = start();
try {
  console.log(`first start (migrations, demo seed) in ${dataDir} …`);
  await ready();
  await stop(server);
  const communityId = seedHistory();
  server = start();
  await ready();
  const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'manager1', password: 'Demo#2026mgr' }) });
  const cookie = /cy_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error(`sign-in failed: ${signIn.status}`);
  const board = `/api/service-requests/board?communityId=${communityId}`;
  // The board as the UI asks for it: unfiltered, by state, by priority, overdue only, a second page.
  const first = (await (await fetch(`${base}${board}&limit=50`, { headers: { cookie } })).json()) as { nextCursor: string | null };
  const paths = [`${board}&limit=50`, `${board}&state=dispatched`, `${board}&priority=urgent`, `${board}&overdue=true`, `${board}&type=repair_room&limit=20`];
  if (first.nextCursor) paths.push(`${board}&limit=50&cursor=${first.nextCursor}`);
  await run('warm-up', paths, { cookie });
  const hello = await run('hello', ['/healthz']);
  const b = await run('board', paths, { cookie });
  console.log(`board.hello-world (/healthz): p99 ${hello.p99} ms, ${hello.rps.toFixed(0)} req/s (baseline)`);
  console.log(`board.open-requests (${HISTORY} historical requests, SQLite): p99 ${b.p99} ms, p50 ${b.p50} ms, ${b.rps.toFixed(0)} req/s (hello-world p99 ${hello.p99} ms; target p99 < 50 ms)`);
} finally {
  await stop(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
