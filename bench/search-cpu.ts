/**
 * In-process CPU cost of one search request, the figure behind the search benchmark's p99
 * (bench/search.ts): with 8 connections on a shared 2-core machine the latency tail is queueing
 * behind other requests' CPU, so CPU per request is what a change must lower, and it can be
 * measured without the noise of other processes on the machine.
 *
 *   BENCH_DATA_DIR=/path/seeded/with/large npm run bench:search-cpu
 *
 * Opens the seeded SQLite directory in this process (no HTTP socket: `app.inject`), signs in as
 * the benchmark's customer-service user and sends every sample query once after a warm-up,
 * measuring `process.cpuUsage()` (user + system) and wall time per request. Also measured: the
 * hello-world route (the framework's floor) and the search service alone (no HTTP layer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { openFromConfig } from '../server/src/bootstrap.js';
import { createCourtyard } from '../server/src/app.js';
import { systemClock } from '../server/src/core/clock.js';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir || !fs.existsSync(path.join(dataDir, 'courtyard.db'))) throw new Error('set BENCH_DATA_DIR to a directory seeded with `seed --size=large` (see bench/search.ts)');
const samples = JSON.parse(fs.readFileSync(path.join(dataDir, 'bench-samples.json'), 'utf8')) as { phones: string[]; names: string[]; username: string; password: string };
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', COURTYARD_ADMIN_PASSWORD: 'Bench#Admin2026' });
const { database, secrets } = await openFromConfig(config);
const courtyard = await createCourtyard({ database, secrets, clock: systemClock });
const { app, services } = courtyard;

interface Figures {
  cpuMean: number;
  cpuP50: number;
  cpuP99: number;
  wallP50: number;
  wallMax: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
function figures(cpu: number[], wall: number[]): Figures {
  const c = [...cpu].sort((a, b) => a - b);
  const w = [...wall].sort((a, b) => a - b);
  return { cpuMean: cpu.reduce((s, v) => s + v, 0) / cpu.length, cpuP50: pct(c, 50), cpuP99: pct(c, 99), wallP50: pct(w, 50), wallMax: w[w.length - 1] ?? 0 };
}

/** Runs `once` for every item, twice round (the first round warms caches and the JIT), timing the second. */
async function measure<T>(items: T[], once: (item: T) => Promise<void>): Promise<Figures> {
  for (const item of items) await once(item);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (const item of items) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await once(item);
    const w1 = performance.now();
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    wall.push(w1 - w0);
  }
  return figures(cpu, wall);
}

try {
  const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: samples.username, password: samples.password } });
  const cookie = /cy_session=[^;]+/.exec(String(signIn.headers['set-cookie'] ?? ''))?.[0];
  if (!cookie) throw new Error(`sign-in failed: ${signIn.statusCode}`);
  const token = cookie.slice('cy_session='.length);
  const authed = await services.auth.authenticateSession(token, { ip: '127.0.0.1', userAgent: null, requestId: 'bench', locale: null });
  if (!authed) throw new Error('session not accepted');
  const ctx = authed.ctx;

  let bytes = 0;
  const get = (url: string) => async () => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    bytes += res.rawPayload.length;
  };
  const line = (label: string, f: Figures) =>
    `${label}: CPU per request mean ${f.cpuMean.toFixed(2)} ms, p50 ${f.cpuP50.toFixed(2)} ms, p99 ${f.cpuP99.toFixed(2)} ms; wall p50 ${f.wallP50.toFixed(2)} ms, max ${f.wallMax.toFixed(1)} ms`;

  const hello = await measure(samples.names, get('/healthz'));
  console.log(line('search-cpu.hello-world (/healthz, inject)', hello));
  bytes = 0;
  const phone = await measure(samples.phones, async (p) => get(`/api/search?q=${encodeURIComponent(p)}`)());
  console.log(line('search-cpu.exact-phone (inject)', phone) + `; ${(bytes / samples.phones.length / 2).toFixed(0)} B per response`);
  bytes = 0;
  const name = await measure(samples.names, async (n) => get(`/api/search?q=${encodeURIComponent(n)}`)());
  console.log(line('search-cpu.name-prefix (inject)', name) + `; ${(bytes / samples.names.length / 2).toFixed(0)} B per response`);
  const service = await measure(samples.names, async (n) => {
    await services.people.search(ctx, n, 20);
  });
  console.log(line('search-cpu.name-prefix (service only)', service));
} finally {
  await courtyard.close();
}
