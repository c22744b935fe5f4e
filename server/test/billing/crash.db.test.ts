import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Payment } from '@courtyard/contracts';
import { createCourtyard } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { openPostgres, openSqlite } from '../../src/core/db/database.js';
import type { Database } from '../../src/core/db/schema.js';
import { makeUser, PASSWORD, type TestCourtyard } from '../harness.js';
import { cleanupProcesses, serverEnv, startServer, waitReady } from '../processes.js';
import { billingEstate } from './bills.fixtures.js';
import { invariants, issueBill } from './payments.fixtures.js';

/**
 * Crash safety of payments (issue 5 acceptance): a real server process takes a stream of payments
 * with idempotency keys and is killed with SIGKILL in the middle; after a restart every key is
 * sent again. No payment is lost, none is doubled, answers given before the crash are replayed
 * byte for byte, and the ledger check is clean.
 */
afterAll(() => cleanupProcesses());


async function openInstallation(env: Record<string, string>, secrets: { fieldKey: Buffer; auditKey: Buffer; sessionSecret: Buffer }): Promise<TestCourtyard> {
  const database = env.DATABASE_URL ? openPostgres<Database>(env.DATABASE_URL, 2) : openSqlite<Database>({ file: path.join(env.DATA_DIR!, 'courtyard.db') });
  const clock = new ManualClock(new Date());
  const c = await createCourtyard({ database, secrets, clock });
  return { ...c, clock, secrets, dispose: () => c.close() };
}

class Http {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}), ...(method !== 'GET' && this.csrf ? { 'x-csrf-token': this.csrf } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((x) => x.startsWith('cy_session='));
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    if (text.includes('csrfToken')) this.csrf = (JSON.parse(text) as { me?: { csrfToken?: string } }).me?.csrfToken ?? this.csrf;
    return { status: res.status, text };
  }
}

describe('payments across a crash', () => {
  it('SIGKILL mid-stream, restart, retry every key: nothing lost, nothing doubled, ledger check clean', async () => {
    const secrets = { fieldKey: crypto.randomBytes(32), auditKey: crypto.randomBytes(32), sessionSecret: crypto.randomBytes(32) };
    const env = await serverEnv({
      COURTYARD_ADMIN_PASSWORD: 'Admin#Pass2026',
      COURTYARD_FIELD_KEY: secrets.fieldKey.toString('base64'),
      COURTYARD_AUDIT_KEY: secrets.auditKey.toString('base64'),
      COURTYARD_SESSION_SECRET: secrets.sessionSecret.toString('base64'),
    });

    // The installation: a community with rooms and bills, and a cashier (written before the server starts).
    const prep = await openInstallation(env, secrets);
    const estate = await billingEstate(prep, 'CRASH', 3);
    for (const room of estate.rooms) for (let i = 0; i < 4; i++) await issueBill(prep, estate, room, 25_000);
    await makeUser(prep, { username: 'cashier_crash', role: 'cashier', communityId: estate.communityId });
    await prep.dispose();

    const N = 60;
    const bodies = Array.from({ length: N }, (_, i) => ({ communityId: estate.communityId, roomId: estate.rooms[i % 3]!, amountCents: 1_000 + i, method: 'cash' }));
    const keys = Array.from({ length: N }, (_, i) => `crash-${i}-${crypto.randomUUID()}`);

    const first = startServer(env);
    await waitReady(first);
    const http = new Http(`http://127.0.0.1:${env.PORT}`);
    expect((await http.call('POST', '/api/auth/sign-in', { username: 'cashier_crash', password: PASSWORD })).status).toBe(200);
    // A stream of payments, four in flight at a time; the server is killed once a third are answered.
    const answered = new Map<number, string>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < N && !killed) {
        const i = next++;
        try {
          const res = await http.call('POST', '/api/payments', bodies[i], { 'idempotency-key': keys[i]! });
          if (res.status === 201) answered.set(i, res.text);
        } catch {
          // connection reset by the crash: the payment may or may not have been committed
        }
        if (answered.size >= N / 3 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect((await first.exit).signal).toBe('SIGKILL');
    expect(answered.size).toBeGreaterThan(0);
    expect(answered.size).toBeLessThan(N);

    const second = startServer(env);
    await waitReady(second);
    const again = new Http(`http://127.0.0.1:${env.PORT}`);
    expect((await again.call('POST', '/api/auth/sign-in', { username: 'cashier_crash', password: PASSWORD })).status).toBe(200);
    const ids = new Set<string>();
    for (let i = 0; i < N; i++) {
      const res = await again.call('POST', '/api/payments', bodies[i], { 'idempotency-key': keys[i]! });
      expect(res.status).toBe(201);
      if (answered.has(i)) expect(res.text).toBe(answered.get(i));
      ids.add((JSON.parse(res.text) as Payment).id);
    }
    expect(ids.size).toBe(N);
    second.child.kill('SIGTERM');
    await second.exit;

    const after = await openInstallation(env, secrets);
    try {
      const rows = await after.database.db.selectFrom('payments').select(['id', 'amount_cents']).where('community_id', '=', estate.communityId).execute();
      expect(rows).toHaveLength(N);
      expect(new Set(rows.map((r) => r.id))).toEqual(ids);
      expect(rows.reduce((s, r) => s + Number(r.amount_cents), 0)).toBe(bodies.reduce((s, b) => s + b.amountCents, 0));
      expect(await invariants(after)).toEqual([]);
    } finally {
      await after.dispose();
    }
  }, 180_000);
});
