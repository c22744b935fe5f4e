/**
 * HTTP benchmark (issue #2): requests/s of an authenticated read route next to the hello-world
 * route (/healthz) of the same server, measured in the same run.
 * Target: the authenticated route reaches at least 40% of the hello-world figure.
 *
 * The server runs in its own process (as in production) so autocannon does not steal its CPU.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const port = 3900 + Math.floor(Math.random() * 90);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-bench-'));
const root = path.resolve(import.meta.dirname, '..');

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', COURTYARD_ADMIN_PASSWORD: 'Bench#Admin2026' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

async function ready() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

function run(title: string, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon({ title, url, connections: CONNECTIONS, duration: DURATION, headers }, (err, result) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else if (result.non2xx > 0 || result.errors > 0) reject(new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      else resolve(result.requests.average);
    });
  });
}

try {
  await ready();
  const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager1', password: 'Demo#2026mgr' }),
  });
  const cookie = /cy_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error(`sign-in failed: ${signIn.status}`);
  // warm up both paths (JIT, statement caches)
  await run('warm-up', `http://127.0.0.1:${port}/api/communities`, { cookie });
  const hello = await run('hello', `http://127.0.0.1:${port}/healthz`);
  const authed = await run('authenticated', `http://127.0.0.1:${port}/api/communities`, { cookie });
  console.log(`http.hello-world (/healthz): ${hello.toFixed(0)} req/s (baseline)`);
  console.log(`http.authenticated-read (GET /api/communities, session cookie): ${authed.toFixed(0)} req/s (${(authed / hello).toFixed(2)}x of baseline; target ≥ 0.40x)`);
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
