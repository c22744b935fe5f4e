import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dialect } from '../harness.js';
import { cleanupProcesses, serverEnv, startServer, waitReady } from '../processes.js';

afterAll(cleanupProcesses);

/** Bad configuration must stop start-up with exactly one line saying what to fix. */
async function expectOneLineFailure(env: Record<string, string>, pattern: RegExp) {
  const run = startServer(env);
  expect((await run.exit).code).toBe(1);
  const lines = run.stderr().trim().split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings') && !l.includes('Deprecation'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('start-up', () => {
  it('on first start creates owner-only keys, prints the administrator login, and serves', async () => {
    const env = await serverEnv();
    const run = startServer(env);
    await waitReady(run);
    expect(run.stdout()).toMatch(/sign in as "admin" with password \S+/);
    for (const key of ['field.key', 'audit.key', 'session.key']) {
      expect(fs.statSync(path.join(env.DATA_DIR!, 'keys', key)).mode & 0o777).toBe(0o600);
    }
    if (dialect === 'sqlite') expect(fs.statSync(path.join(env.DATA_DIR!, 'courtyard.db')).mode & 0o777).toBe(0o600);
    const password = /with password (\S+)/.exec(run.stdout())![1]!;
    const res = await fetch(`http://127.0.0.1:${env.PORT}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(await res.json()).toMatchObject({ status: 'signed_in', me: { passwordChangeRequired: true, mfaEnrollmentRequired: true } });
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  it('takes the account policy from the environment', async () => {
    const env = await serverEnv({ COURTYARD_ADMIN_PASSWORD: 'Admin#Pass2026', COURTYARD_LOCK_THRESHOLD: '2', COURTYARD_LOCK_MINUTES: '5' });
    const run = startServer(env);
    await waitReady(run);
    const attempt = () =>
      fetch(`http://127.0.0.1:${env.PORT}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong' }) });
    expect((await attempt()).status).toBe(401);
    const second = await attempt();
    expect(second.status).toBe(423);
    const { lockedUntil } = (await second.json()) as { lockedUntil: string };
    expect(new Date(lockedUntil).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  it('drains in-flight requests on SIGTERM before exiting', async () => {
    const env = await serverEnv({ COURTYARD_ADMIN_PASSWORD: 'Admin#Pass2026', LOG_LEVEL: 'info' });
    const run = startServer(env);
    await waitReady(run);
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
    expect((await run.exit).code).toBe(0);
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
    const first = startServer(env);
    await waitReady(first);
    first.child.kill('SIGTERM');
    await first.exit;
    fs.rmSync(path.join(env.DATA_DIR!, 'keys', 'field.key'));
    await expectOneLineFailure(env, /^courtyard: key file .*field\.key is missing; restore it from your backup or set COURTYARD_FIELD_KEY/);
  });
});
