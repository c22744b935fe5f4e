import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as OTPAuth from 'otpauth';
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationMessage } from '@courtyard/contracts';
import { dialect } from '../harness.js';
import { startSmtp } from './receivers.js';

/**
 * Process-level durability: a notification committed by a server that is then killed with SIGKILL
 * (no chance to clean up) is delivered after the restart, exactly once.
 */
const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
const PG_ADMIN = process.env.COURTYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_PASSWORD = 'Admin#Pass2026';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function serverEnv(): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtyard-notify-'));
  cleanups.push(() => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true })));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    COURTYARD_SEED_DEMO: 'false',
    COURTYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  if (dialect === 'postgres') {
    const name = `cy_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`create database ${name}`);
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
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stdout.resume();
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exit;
  });
  return { child, stderr: () => err, exit };
}

async function waitReady(base: string, run: Run): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (run.child.exitCode !== null) throw new Error(`server exited: ${run.stderr()}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

/** A cookie-keeping HTTP client for the real server. */
class Http {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call<T>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...(method !== 'GET' && this.csrf ? { 'x-csrf-token': this.csrf } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('cy_session='));
    if (set) this.cookie = set.split(';')[0]!;
    const json = (await res.json()) as T & { me?: { csrfToken?: string }; csrfToken?: string };
    const token = json.me?.csrfToken ?? json.csrfToken;
    if (token) this.csrf = token;
    return { status: res.status, json };
  }
}

describe('durable notifications across a crash', () => {
  it('a notification committed just before the server is killed with SIGKILL is delivered after the restart, exactly once', async () => {
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const env = await serverEnv();
    const base = `http://127.0.0.1:${env.PORT}`;

    // First process: serves the API but runs no jobs (like a deployment whose worker is down),
    // so the notification is committed and waits in the job table.
    const first = start({ ...env, COURTYARD_ROLE: 'web' });
    await waitReady(base, first);
    const http = new Http(base);
    expect((await http.call('POST', '/api/auth/sign-in', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
    expect((await http.call('POST', '/api/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'Changed#Pass2026' })).status).toBe(200);
    const { json: enrol } = await http.call<{ secret: string }>('POST', '/api/auth/mfa/enrol');
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
    expect((await http.call('POST', '/api/auth/mfa/enrol/confirm', { code })).status).toBe(200);
    const settings = await http.call('PUT', '/api/settings/notifications.email', {
      value: { enabled: true, host: '127.0.0.1', port: smtp.port, secure: false, user: '', password: '', from: 'noreply@courtyard.test' },
    });
    expect(settings.status).toBe(200);
    const created = await http.call<{ user: { id: string } }>('POST', '/api/users', { username: 'alice', displayName: 'Alice', kind: 'owner', locale: 'en-US', email: 'alice@example.com' });
    expect(created.status).toBe(200);
    const userId = created.json.user.id;
    const sent = await http.call<{ messageIds: string[] }>('POST', '/api/notifications/test', { userId, channels: ['email'] });
    expect(sent.status).toBe(200);
    const [messageId] = sent.json.messageIds;

    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.mails).toHaveLength(0);
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    // Second process: the same database, with the job runner.
    const second = start({ ...env, COURTYARD_ROLE: 'all' });
    await waitReady(base, second);
    const [mail] = await smtp.waitFor(1, 20_000);
    expect(mail!.to).toEqual(['alice@example.com']);
    expect(mail!.subject).toBe('Test notification');
    expect(mail!.text).toMatch(/^Hello Alice,/);
    // Give a duplicate every chance to show up: several runner rounds.
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.mails).toHaveLength(1);

    // The session survived the crash (it is in the database): the delivery record says sent, once.
    const list = await http.call<{ items: NotificationMessage[] }>('GET', `/api/notifications/messages?userId=${userId}`);
    expect(Array.isArray(list.json.items), JSON.stringify(list.json)).toBe(true);
    expect(list.json.items).toEqual([expect.objectContaining({ id: messageId, status: 'sent', attempts: 1, channel: 'email' })]);

    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
  }, 90_000);
});
