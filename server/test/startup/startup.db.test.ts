import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dialect } from '../harness.js';

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
const PG_ADMIN = process.env.COURTYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Environment for a real server process on this project's dialect (an empty PostgreSQL database on postgres). */
async function serverEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-start-'));
  cleanups.push(() => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true })));
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn', COURTYARD_SEED_DEMO: 'false', ...extra };
  if (dialect === 'postgres' && !extra.DATABASE_URL) {
    const name = `cy_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${name}`); // empty: a new installation migrates it
    await admin.end();
    env.DATABASE_URL = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
    cleanups.push(async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    });
  }
  return env;
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exit;
  });
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitReady(port: string, run: Run): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (run.child.exitCode !== null) throw new Error(`server exited: ${run.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

/** Bad configuration must stop start-up with exactly one line saying what to fix. */
async function expectOneLineFailure(env: Record<string, string>, pattern: RegExp) {
  const run = start(env);
  expect(await run.exit).toBe(1);
  const lines = run.stderr().trim().split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings') && !l.includes('Deprecation'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('start-up', () => {
  it('on first start creates owner-only keys, prints the administrator login, and serves', async () => {
    const env = await serverEnv();
    const run = start(env);
    await waitReady(env.PORT!, run);
    expect(run.stdout()).toMatch(/sign in as "admin" with password \S+/);
    for (const key of ['field.key', 'audit.key', 'session.key']) {
      expect(fs.statSync(path.join(env.DATA_DIR!, 'keys', key)).mode & 0o777).toBe(0o600);
    }
    if (dialect === 'sqlite') expect(fs.statSync(path.join(env.DATA_DIR!, 'courtyard.db')).mode & 0o777).toBe(0o600);
    const password = /with password (\S+)/.exec(run.stdout())![1]!;
    const res = await fetch(`http://127.0.0.1:${env.PORT}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(await res.json()).toMatchObject({ status: 'signed_in', me: { passwordChangeRequired: true, mfaEnrollmentRequired: true } });
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('takes the account policy from the environment', async () => {
    const env = await serverEnv({ COURTYARD_ADMIN_PASSWORD: 'Admin#Pass2026', COURTYARD_LOCK_THRESHOLD: '2', COURTYARD_LOCK_MINUTES: '5' });
    const run = start(env);
    await waitReady(env.PORT!, run);
    const attempt = () =>
      fetch(`http://127.0.0.1:${env.PORT}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong' }) });
    expect((await attempt()).status).toBe(401);
    const second = await attempt();
    expect(second.status).toBe(423);
    const { lockedUntil } = (await second.json()) as { lockedUntil: string };
    expect(new Date(lockedUntil).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('drains in-flight requests on SIGTERM before exiting', async () => {
    const env = await serverEnv({ COURTYARD_ADMIN_PASSWORD: 'Admin#Pass2026', LOG_LEVEL: 'info' });
    const run = start(env);
    await waitReady(env.PORT!, run);
    // argon2id verification keeps each sign-in busy for tens of milliseconds
    const inflight = Array.from({ length: 12 }, () =>
      fetch(`http://127.0.0.1:${env.PORT}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Admin#Pass2026' }) }).then((r) => r.status),
    );
    // signal only once the server has received every request (it logs each one)
    for (let i = 0; (run.stdout().match(/"url":"\/api\/auth\/sign-in"/g) ?? []).length < 12; i++) {
      if (i > 2000) throw new Error(`only saw: ${run.stdout().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    run.child.kill('SIGTERM');
    const statuses = await Promise.all(inflight);
    expect(statuses).toEqual(Array(12).fill(200));
    expect(await run.exit).toBe(0);
  });

  it('refuses an unreachable database with one line', async () => {
    await expectOneLineFailure(await serverEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' }), /^courtyard: cannot reach the database \(DATABASE_URL\)/);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL with one line', async () => {
    await expectOneLineFailure(await serverEnv({ DATABASE_URL: 'mysql://localhost/db' }), /^courtyard: DATABASE_URL must start with postgres:\/\//);
  });

  it('refuses an unwritable data directory with one line', async () => {
    const env = await serverEnv();
    const blocker = path.join(env.DATA_DIR!, 'file');
    fs.writeFileSync(blocker, '');
    await expectOneLineFailure({ ...env, DATA_DIR: path.join(blocker, 'data') }, /^courtyard: data directory .* is not writable; set DATA_DIR/);
  });

  it('refuses a port in use with one line', async () => {
    const env = await serverEnv();
    const blocker = net.createServer().listen(Number(env.PORT), '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await expectOneLineFailure(env, new RegExp(`^courtyard: port ${env.PORT} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses a malformed key with one line', async () => {
    await expectOneLineFailure(await serverEnv({ COURTYARD_FIELD_KEY: 'too-short' }), /^courtyard: COURTYARD_FIELD_KEY must be 32 random bytes in base64/);
  });

  it('refuses a malformed key file with one line', async () => {
    const env = await serverEnv();
    fs.mkdirSync(path.join(env.DATA_DIR!, 'keys'), { recursive: true });
    fs.writeFileSync(path.join(env.DATA_DIR!, 'keys', 'audit.key'), 'garbage\n');
    await expectOneLineFailure(env, /^courtyard: .*audit\.key must be 32 random bytes in base64/);
  });

  it('refuses to start an existing installation whose key files are missing', async () => {
    const env = await serverEnv({ COURTYARD_ADMIN_PASSWORD: 'Admin#Pass2026' });
    const first = start(env);
    await waitReady(env.PORT!, first);
    first.child.kill('SIGTERM');
    await first.exit;
    fs.rmSync(path.join(env.DATA_DIR!, 'keys', 'field.key'));
    await expectOneLineFailure(env, /^courtyard: key file .*field\.key is missing; restore it from your backup or set COURTYARD_FIELD_KEY/);
  });
});
