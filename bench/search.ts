/**
 * Registry search benchmark (issue #4): p99 latency through the API of the console search box over
 * 1,000,000 people on SQLite — exact phone (blind index) and name prefix — next to the hello-world
 * route's p99 in the same run. Target: p99 < 50 ms for both searches.
 *
 *   npm run bench:search                 (seeds a fresh data directory with `seed --size=large`)
 *   BENCH_DATA_DIR=/path npm run bench:search   (reuses a data directory seeded before; much faster)
 *
 * The server runs in its own process, as in production; autocannon runs in this one.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 8;
const root = path.resolve(import.meta.dirname, '..');
const reuse = process.env.BENCH_DATA_DIR;
const dataDir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-bench-search-'));
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', COURTYARD_ADMIN_PASSWORD: 'Bench#Admin2026', DATABASE_URL: '' };

if (!reuse || !fs.existsSync(path.join(dataDir, 'courtyard.db'))) {
  console.log(`seeding 1,000,000 people into ${dataDir} (takes a few minutes) …`);
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/cli/index.ts'), 'seed', '--size=large'], { env, stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seed failed');
}

const port = 3900 + Math.floor(Math.random() * 90);
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
  env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;

async function ready() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

interface Figures {
  p99: number;
  p50: number;
  rps: number;
}

function run(title: string, requests: string[], headers: Record<string, string> = {}): Promise<Figures> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        title,
        url: base,
        connections: CONNECTIONS,
        duration: DURATION,
        headers,
        // A different query on every request: no answer is served from a warm row cache alone.
        requests: [{ setupRequest: (req) => ({ ...req, path: requests[i++ % requests.length]! }) }],
      },
      (err, result) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (result.non2xx > 0 || result.errors > 0) reject(new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors`));
        else resolve({ p99: result.latency.p99, p50: result.latency.p50, rps: result.requests.average });
      },
    );
  });
}

// Written by the large seed: phones and name prefixes to look for, and a customer-service login
// over every community (the widest scope, so every search runs over all 1,000,000 people).
const samples = JSON.parse(fs.readFileSync(path.join(dataDir, 'bench-samples.json'), 'utf8')) as { phones: string[]; names: string[]; username: string; password: string };

try {
  await ready();
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: samples.username, password: samples.password }),
  });
  const cookie = /cy_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error(`sign-in failed: ${signIn.status}`);
  const phoneQueries = samples.phones.map((p) => `/api/search?q=${encodeURIComponent(p)}`);
  const nameQueries = samples.names.map((n) => `/api/search?q=${encodeURIComponent(n)}`);
  await run('warm-up', phoneQueries.slice(0, 50), { cookie });
  const hello = await run('hello', ['/healthz']);
  const phone = await run('phone', phoneQueries, { cookie });
  const name = await run('name', nameQueries, { cookie });
  const line = (label: string, f: Figures) =>
    `${label}: p99 ${f.p99} ms, p50 ${f.p50} ms, ${f.rps.toFixed(0)} req/s (hello-world p99 ${hello.p99} ms; target p99 < 50 ms)`;
  console.log(`search.hello-world (/healthz): p99 ${hello.p99} ms, ${hello.rps.toFixed(0)} req/s (baseline)`);
  console.log(line('search.exact-phone (1,000,000 people)', phone));
  console.log(line('search.name-prefix (1,000,000 people)', name));
} finally {
  server.kill('SIGTERM');
  if (!reuse) fs.rmSync(dataDir, { recursive: true, force: true });
}
