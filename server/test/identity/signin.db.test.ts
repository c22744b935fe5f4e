import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, ManualClock } from '../../src/core/clock.js';
import { systemContext } from '../../src/core/http/context.js';
import { Client, PASSWORD, enrolMfa, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
beforeAll(async () => {
  c = await startCourtyard();
  await makeUser(c, { username: 'admin', role: 'system_admin' });
});
afterAll(() => c.dispose());

async function auditActions(entityId: string) {
  const page = await c.services.audit.list(c.database.db, { entityId, limit: 100 });
  return page.items.map((r) => `${r.action}:${r.result}`);
}

describe('sign-in and lockout', () => {
  it('signs in with the right password and sets an HttpOnly SameSite=Lax session cookie', async () => {
    await makeUser(c, { username: 'alice', role: 'cashier' });
    const res = await new Client(c.app).signIn('alice');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'signed_in', me: { user: { username: 'alice' }, roles: ['cashier'] } });
    const cookie = res.cookies.find((k) => k.name === 'cy_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    // ≥128-bit random id: 32 bytes base64url
    expect(cookie.value.length).toBeGreaterThanOrEqual(43);
  });

  it('locks the account at exactly the third consecutive failure, and refuses the right password while locked', async () => {
    const id = await makeUser(c, { username: 'bob' });
    const client = new Client(c.app);
    const first = await client.signIn('bob', 'wrong-1');
    const second = await client.signIn('bob', 'wrong-2');
    expect(first.statusCode).toBe(401);
    expect(second.statusCode).toBe(401);
    expect(second.json()).toMatchObject({ code: 'auth.invalid_credentials' });
    const third = await client.signIn('bob', 'wrong-3');
    expect(third.statusCode).toBe(423);
    expect(third.json()).toMatchObject({ code: 'auth.locked' });
    expect(third.json<{ lockedUntil: string }>().lockedUntil).toBe(new Date(c.clock.now().getTime() + 15 * MINUTE).toISOString());
    const fourth = await client.signIn('bob', PASSWORD);
    expect(fourth.statusCode).toBe(423);
    expect(fourth.cookies.find((k) => k.name === 'cy_session')).toBeUndefined();
    const actions = await auditActions(id);
    expect(actions.filter((a) => a === 'identity.sign_in:failure')).toHaveLength(4);
    expect(actions).toContain('identity.user.lock:success');
  });

  it('two failures then a success do not lock: the count is of consecutive failures', async () => {
    await makeUser(c, { username: 'carol' });
    const client = new Client(c.app);
    await client.signIn('carol', 'nope');
    await client.signIn('carol', 'nope');
    expect((await client.signIn('carol')).statusCode).toBe(200);
    await client.signIn('carol', 'nope');
    await client.signIn('carol', 'nope');
    expect((await client.signIn('carol')).statusCode).toBe(200);
  });

  it('unlocks by itself after the lock period', async () => {
    await makeUser(c, { username: 'dave' });
    const client = new Client(c.app);
    for (let i = 0; i < 3; i++) await client.signIn('dave', 'bad');
    c.clock.advance(14 * MINUTE);
    expect((await client.signIn('dave')).statusCode).toBe(423);
    c.clock.advance(1 * MINUTE + 1000);
    expect((await client.signIn('dave')).statusCode).toBe(200);
  });

  it('an administrator unlocks a locked account at once', async () => {
    const id = await makeUser(c, { username: 'erin' });
    const user = new Client(c.app);
    for (let i = 0; i < 3; i++) await user.signIn('erin', 'bad');
    const admin = new Client(c.app);
    await admin.signIn('admin');
    // administrator roles must enrol two-factor before they can act
    expect((await admin.post(`/api/users/${id}/unlock`)).json()).toMatchObject({ code: 'auth.mfa_required' });
    await enrolMfa(admin, c.clock);
    const unlocked = await admin.post(`/api/users/${id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).toMatchObject({ username: 'erin', lockedUntil: null, failedSignIns: 0 });
    expect((await user.signIn('erin')).statusCode).toBe(200);
    expect(await auditActions(id)).toContain('identity.user.unlock:success');
  });

  it('answers an unknown username exactly like a wrong password, with comparable latency', async () => {
    await makeUser(c, { username: 'frank' });
    const client = new Client(c.app);
    const time = async (username: string) => {
      const t = process.hrtime.bigint();
      const res = await client.signIn(username, 'Wrong#Pass1');
      return { res, ms: Number(process.hrtime.bigint() - t) / 1e6 };
    };
    const unknown = await time('nobody-here');
    const wrong = await time('frank');
    expect(unknown.res.statusCode).toBe(wrong.res.statusCode);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(unknown.res.json())).toEqual(strip(wrong.res.json()));
    // both paths run one argon2id verification; neither returns in a fraction of the other's time
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 4);
  });

  it('refuses a disabled account with the same answer as a wrong password', async () => {
    const id = await makeUser(c, { username: 'gina' });
    await c.services.users.setStatus(systemContext('test'), id, 'disabled');
    const res = await new Client(c.app).signIn('gina');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.invalid_credentials' });
  });

  it('localises the error message from Accept-Language', async () => {
    const en = await new Client(c.app, { 'accept-language': 'en-US,en;q=0.9' }).signIn('nobody', 'x');
    const zh = await new Client(c.app, { 'accept-language': 'zh-CN' }).signIn('nobody', 'x');
    expect(en.json<{ detail: string }>().detail).toBe('Wrong username or password');
    expect(zh.json<{ detail: string }>().detail).toBe('用户名或密码错误');
    expect(en.headers['content-type']).toContain('application/problem+json');
  });
});

/** Every reading of the time is 6 s later than the last: the 5-second settings cache is cold at every use. */
class HurriedClock extends ManualClock {
  override now(): Date {
    this.advance(6_000);
    return super.now();
  }
}

describe('sign-in while the settings cache keeps expiring', () => {
  // The account policy comes from settings, read through the database itself. Read inside the
  // session's transaction, SQLite's one connection waited for that transaction: every sign-in hung.
  it('opens the session without reading settings inside its own transaction', async () => {
    const hurried = await startCourtyard({ clock: new HurriedClock('2026-03-02T08:00:00.000Z') });
    try {
      await makeUser(hurried, { username: 'hurried', role: 'cashier' });
      const res = await new Client(hurried.app).signIn('hurried');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'signed_in', me: { user: { username: 'hurried' } } });
    } finally {
      await hurried.dispose();
    }
  });
});
