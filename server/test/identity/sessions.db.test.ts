import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.js';
import { systemContext } from '../../src/core/http/context.js';
import { Client, PASSWORD, enrolMfa, makeUser, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
let adminSecret: string;
beforeAll(async () => {
  c = await startCourtyard();
  await makeUser(c, { username: 'admin', role: 'system_admin' });
  const first = new Client(c.app);
  await first.signIn('admin');
  adminSecret = (await enrolMfa(first, c.clock)).secret;
});
const adminClient = () => signInWithMfa(c.app, c.clock, 'admin', adminSecret);
afterAll(() => c.dispose());

async function signedIn(username: string) {
  const client = new Client(c.app);
  expect((await client.signIn(username)).statusCode).toBe(200);
  return client;
}

describe('sessions', () => {
  it('expire after 30 minutes idle but not while in use', async () => {
    await makeUser(c, { username: 'idle', role: 'cashier' });
    const client = await signedIn('idle');
    c.clock.advance(29 * MINUTE);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    c.clock.advance(29 * MINUTE); // 29 min since last activity
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    c.clock.advance(30 * MINUTE);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.unauthenticated' });
  });

  it('end 12 hours after sign-in however active the user is', async () => {
    await makeUser(c, { username: 'busy', role: 'cashier' });
    const client = await signedIn('busy');
    // active every 15 minutes: 47 requests up to 11 h 45 min, then one at 11 h 59 min
    for (let q = 0; q < 47; q++) {
      c.clock.advance(15 * MINUTE);
      expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    }
    c.clock.advance(14 * MINUTE);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    c.clock.advance(1 * MINUTE); // 12 h after sign-in
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('end at once when the user is disabled', async () => {
    const id = await makeUser(c, { username: 'leaver', role: 'cashier' });
    const client = await signedIn('leaver');
    expect((await (await adminClient()).post(`/api/users/${id}/disable`)).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('end everywhere else when the password changes, keeping the session that changed it', async () => {
    await makeUser(c, { username: 'changer', role: 'cashier' });
    const laptop = await signedIn('changer');
    const phone = await signedIn('changer');
    const res = await laptop.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Brand#New2026' });
    expect(res.statusCode).toBe(200);
    expect((await laptop.get('/api/auth/me')).statusCode).toBe(200);
    expect((await phone.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('end when an administrator resets the password, and the new one must be changed', async () => {
    const id = await makeUser(c, { username: 'forgetful', role: 'cashier' });
    const client = await signedIn('forgetful');
    const reset = await (await adminClient()).post(`/api/users/${id}/reset-password`);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    const fresh = new Client(c.app);
    const signIn = await fresh.signIn('forgetful', reset.json<{ temporaryPassword: string }>().temporaryPassword);
    expect(signIn.json()).toMatchObject({ me: { passwordChangeRequired: true } });
    expect((await fresh.get('/api/communities')).json()).toMatchObject({ code: 'auth.password_change_required' });
  });

  it('end when a role is revoked', async () => {
    const id = await makeUser(c, { username: 'demoted', role: 'cashier' });
    const client = await signedIn('demoted');
    const admin = await adminClient();
    const grants = (await admin.get(`/api/grants?userId=${id}`)).json<{ items: { id: string }[] }>();
    expect((await admin.delete(`/api/grants/${grants.items[0]!.id}`)).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('are listed and can be ended one by one or all at once', async () => {
    await makeUser(c, { username: 'many', role: 'cashier' });
    const a = await signedIn('many');
    const b = await signedIn('many');
    const list = (await a.get('/api/auth/sessions')).json<{ items: { id: string; current: boolean }[] }>().items;
    expect(list).toHaveLength(2);
    const other = list.find((s) => !s.current)!;
    expect((await a.delete(`/api/auth/sessions/${other.id}`)).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    const c3 = await signedIn('many');
    expect((await a.post('/api/auth/sign-out-everywhere')).statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
    expect((await c3.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('sign-out ends only this session', async () => {
    await makeUser(c, { username: 'leaving', role: 'cashier' });
    const a = await signedIn('leaving');
    const b = await signedIn('leaving');
    expect((await a.post('/api/auth/sign-out')).statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('refuse a cookie-authenticated write without the CSRF token', async () => {
    await makeUser(c, { username: 'csrf', role: 'cashier' });
    const client = await signedIn('csrf');
    const noToken = await client.request('PUT', '/api/auth/me/locale', { locale: 'en-US' }, { 'x-csrf-token': '' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ code: 'auth.csrf' });
    expect((await client.put('/api/auth/me/locale', { locale: 'en-US' })).statusCode).toBe(200);
  });

  it('API tokens are shown once, stored hashed, limited to their scopes and need no CSRF token', async () => {
    const id = await makeUser(c, { username: 'integrator', role: 'property_manager' });
    const client = await signedIn('integrator');
    const created = await client.post('/api/auth/tokens', { name: 'erp', scopes: ['properties.community.read'] });
    expect(created.statusCode).toBe(200);
    const token = created.json<{ token: string }>().token;
    const stored = await c.database.db.selectFrom('api_tokens').select('token_hash').where('user_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const bearer = new Client(c.app, { authorization: `Bearer ${token}` });
    expect((await bearer.get('/api/communities')).statusCode).toBe(200);
    expect((await bearer.get('/api/jobs/01a20fba-bc25-7894-92fa-ed59faf81c69')).statusCode).toBe(403);
    await c.services.users.setStatus(systemContext('test'), id, 'disabled');
    expect((await bearer.get('/api/communities')).statusCode).toBe(401);
  });

  it('ended sessions are purged after 30 days, live ones never', async () => {
    await makeUser(c, { username: 'purgeme', role: 'cashier' });
    const gone = await signedIn('purgeme');
    await gone.post('/api/auth/sign-out');
    c.clock.advance(31 * 24 * 60 * MINUTE);
    const live = await signedIn('purgeme');
    expect(await c.services.auth.purgeSessions(30)).toBeGreaterThan(0);
    expect((await live.get('/api/auth/me')).statusCode).toBe(200);
  });
});
