import * as OTPAuth from 'otpauth';
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationMessage } from '@courtyard/contracts';
import { cleanupProcesses, serverEnv, startServer, waitReady } from '../processes.js';
import { startSmtp } from './receivers.js';

/**
 * Process-level durability: a notification committed by a server that is then killed with SIGKILL
 * (no chance to clean up) is delivered after the restart, exactly once.
 */
const ADMIN_PASSWORD = 'Admin#Pass2026';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await cleanupProcesses();
});

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
    const env = await serverEnv({ COURTYARD_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const base = `http://127.0.0.1:${env.PORT}`;

    // First process: serves the API but runs no jobs (like a deployment whose worker is down),
    // so the notification is committed and waits in the job table.
    const first = startServer({ ...env, COURTYARD_ROLE: 'web' });
    await waitReady(first);
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
    const second = startServer({ ...env, COURTYARD_ROLE: 'all' });
    await waitReady(second);
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
