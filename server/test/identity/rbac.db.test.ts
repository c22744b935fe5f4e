import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/core/http/context.js';
import { Client, enrolMfa, makeCommunity, makeUser, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
const secrets = new Map<string, string>();

async function admin(username: string) {
  return signInWithMfa(c.app, c.clock, username, secrets.get(username)!);
}

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'A');
  communityB = await makeCommunity(c, 'B');
  for (const username of ['sysadmin1', 'sysadmin2']) {
    await makeUser(c, { username, role: 'system_admin' });
    const client = new Client(c.app);
    await client.signIn(username);
    secrets.set(username, (await enrolMfa(client, c.clock)).secret);
  }
});
afterAll(() => c.dispose());

async function roleId(code: string) {
  const roles = (await (await admin('sysadmin1')).get('/api/roles')).json<{ items: { id: string; code: string }[] }>().items;
  return roles.find((r) => r.code === code)!.id;
}

describe('data scope', () => {
  it('a manager of community A reads A and is refused B', async () => {
    await makeUser(c, { username: 'mgr_a', role: 'property_manager', communityId: communityA });
    const client = new Client(c.app);
    await client.signIn('mgr_a');
    const list = (await client.get('/api/communities')).json<{ items: { id: string }[] }>();
    expect(list.items.map((x) => x.id)).toEqual([communityA]);
    expect((await client.get(`/api/communities/${communityA}`)).statusCode).toBe(200);
    const other = await client.get(`/api/communities/${communityB}`);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'auth.out_of_scope' });
    expect(other.body).not.toContain('小区 B');
  });

  it('an organisation-wide grant covers every community', async () => {
    await makeUser(c, { username: 'mgr_all', role: 'property_manager', communityId: null });
    const client = new Client(c.app);
    await client.signIn('mgr_all');
    const list = (await client.get('/api/communities')).json<{ items: { id: string }[] }>();
    expect(list.items.map((x) => x.id).sort()).toEqual([communityA, communityB].sort());
  });

  it('a cashier has no user administration: 403 on its API', async () => {
    await makeUser(c, { username: 'cash', role: 'cashier', communityId: communityA });
    const client = new Client(c.app);
    const me = (await client.signIn('cash')).json<{ me: { permissions: string[] } }>().me;
    expect(me.permissions).not.toContain('identity.user.read');
    const res = await client.get('/api/users');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'auth.forbidden' });
    expect((await client.get('/api/audit')).statusCode).toBe(403);
  });

  it('a user without any session gets 401 on every non-public route', async () => {
    const anon = new Client(c.app);
    for (const url of ['/api/users', '/api/roles', '/api/audit', '/api/communities', '/api/auth/me']) {
      expect((await anon.get(url)).statusCode).toBe(401);
    }
  });
});

describe('sensitive grants', () => {
  it('an administrator role granted by one administrator stays pending and has no effect', async () => {
    const target = await makeUser(c, { username: 'hopeful' });
    const a1 = await admin('sysadmin1');
    const grant = await a1.post('/api/grants', { userId: target, roleId: await roleId('audit_admin') });
    expect(grant.statusCode).toBe(200);
    expect(grant.json()).toMatchObject({ status: 'pending', roleCode: 'audit_admin' });
    const hopeful = new Client(c.app);
    const me = (await hopeful.signIn('hopeful')).json<{ me: { permissions: string[]; roles: string[] } }>().me;
    expect(me.roles).toEqual([]);
    expect(me.permissions).toEqual([]);
    expect((await hopeful.get('/api/audit')).statusCode).toBe(403);
  });

  it('cannot be approved by the administrator who requested it', async () => {
    const target = await makeUser(c, { username: 'selfish' });
    const a1 = await admin('sysadmin1');
    const grant = (await a1.post('/api/grants', { userId: target, roleId: await roleId('security_admin') })).json<{ id: string }>();
    const res = await a1.post(`/api/grants/${grant.id}/approve`, {});
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'identity.grant_self_approval' });
    const after = (await a1.get(`/api/grants?userId=${target}`)).json<{ items: { status: string }[] }>();
    expect(after.items[0]!.status).toBe('pending');
  });

  it('takes effect once a second administrator approves it', async () => {
    const target = await makeUser(c, { username: 'promoted' });
    const grant = (await (await admin('sysadmin1')).post('/api/grants', { userId: target, roleId: await roleId('audit_admin') })).json<{ id: string }>();
    const approved = await (await admin('sysadmin2')).post(`/api/grants/${grant.id}/approve`, { reason: 'new auditor' });
    expect(approved.json()).toMatchObject({ status: 'active' });
    const me = (await new Client(c.app).signIn('promoted')).json<{ me: { roles: string[]; mfaEnrollmentRequired: boolean } }>().me;
    expect(me.roles).toEqual(['audit_admin']);
    expect(me.mfaEnrollmentRequired).toBe(true);
  });

  it('an ordinary role is active at once', async () => {
    const target = await makeUser(c, { username: 'newcashier' });
    const res = await (await admin('sysadmin1')).post('/api/grants', { userId: target, roleId: await roleId('cashier'), communityId: communityA });
    expect(res.json()).toMatchObject({ status: 'active', communityId: communityA });
    const me = (await new Client(c.app).signIn('newcashier')).json<{ me: { scopes: Record<string, string[] | null> } }>().me;
    expect(me.scopes['properties.community.read']).toEqual([communityA]);
  });
});

describe('custom roles', () => {
  it('are built from the catalogue; unknown permissions are refused and built-in roles are read-only', async () => {
    await makeUser(c, { username: 'secadmin', role: 'security_admin' });
    const first = new Client(c.app);
    await first.signIn('secadmin');
    await enrolMfa(first, c.clock);
    const bad = await first.post('/api/roles', { code: 'front_desk', name: '前台', permissions: ['properties.community.read', 'billing.everything.steal'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/permissions');
    const ok = await first.post('/api/roles', { code: 'front_desk', name: '前台', permissions: ['properties.community.read'] });
    expect(ok.json()).toMatchObject({ code: 'front_desk', builtIn: false, permissions: ['properties.community.read'] });
    const builtIn = (await first.get('/api/roles')).json<{ items: { id: string; builtIn: boolean }[] }>().items.find((r) => r.builtIn)!;
    expect((await first.patch(`/api/roles/${builtIn.id}`, { name: 'x' })).json()).toMatchObject({ code: 'identity.role_built_in' });
  });

  it('changing a role’s permissions changes what its holders may do on their next request', async () => {
    const a1 = await admin('sysadmin1');
    const role = (await a1.get('/api/roles')).json<{ items: { id: string; code: string }[] }>().items.find((r) => r.code === 'front_desk')!;
    const holder = await makeUser(c, { username: 'desk' });
    await a1.post('/api/grants', { userId: holder, roleId: role.id });
    const desk = new Client(c.app);
    await desk.signIn('desk');
    expect((await desk.get('/api/communities')).statusCode).toBe(200);
    // the security administrator narrows the role; the desk user loses access without signing in again
    await c.services.access.updateRole(systemContext('test'), role.id, { permissions: [] });
    expect((await desk.get('/api/communities')).statusCode).toBe(403);
  });
});

describe('separation of duties', () => {
  it('a custom role holding an administrative permission is sensitive: its grant waits for approval', async () => {
    const sec = await (async () => {
      await makeUser(c, { username: 'secadmin2', role: 'security_admin' });
      const client = new Client(c.app);
      await client.signIn('secadmin2');
      await enrolMfa(client, c.clock);
      return client;
    })();
    const role = (await sec.post('/api/roles', { code: 'shadow_auditor', name: '影子审计', permissions: ['audit.log.read', 'identity.user.read'] })).json<{ id: string; sensitive: boolean }>();
    expect(role.sensitive).toBe(true);
    const me = (await sec.get('/api/auth/me')).json<{ user: { id: string } }>();
    const grant = await sec.post('/api/grants', { userId: me.user.id, roleId: role.id });
    expect(grant.json()).toMatchObject({ status: 'pending' });
  });

  it('a role with holders cannot be turned administrative under them', async () => {
    const a1 = await admin('sysadmin1');
    const role = await c.services.access.createRole(systemContext('test'), { code: 'plain_desk', name: '普通前台', permissions: ['properties.community.read'] });
    const holder = await makeUser(c, { username: 'plainholder' });
    await a1.post('/api/grants', { userId: holder, roleId: role.id });
    await expect(c.services.access.updateRole(systemContext('test'), role.id, { permissions: ['properties.community.read', 'identity.user.manage'] })).rejects.toMatchObject({
      code: 'identity.role_sensitive_in_use',
    });
  });

  it('the grantee cannot approve a grant made to them', async () => {
    const a1 = await admin('sysadmin1');
    const me2 = (await (await admin('sysadmin2')).get('/api/auth/me')).json<{ user: { id: string } }>();
    const grant = (await a1.post('/api/grants', { userId: me2.user.id, roleId: await roleId('security_admin') })).json<{ id: string }>();
    const res = await (await admin('sysadmin2')).post(`/api/grants/${grant.id}/approve`, {});
    expect(res.json()).toMatchObject({ code: 'identity.grant_self_approval_grantee' });
  });

  it("one administrator cannot reset another administrator's password or two-factor through the API", async () => {
    const a1 = await admin('sysadmin1');
    const other = (await (await admin('sysadmin2')).get('/api/auth/me')).json<{ user: { id: string } }>();
    expect((await a1.post(`/api/users/${other.user.id}/reset-password`)).json()).toMatchObject({ code: 'identity.admin_credentials_cli_only' });
    expect((await a1.post(`/api/users/${other.user.id}/reset-mfa`)).json()).toMatchObject({ code: 'identity.admin_credentials_cli_only' });
  });
});

describe('personal data', () => {
  it('phone numbers are encrypted at rest, masked in lists, and revealed only on request with an audit record', async () => {
    const id = await makeUser(c, { username: 'phoneowner', phone: '13812345678' });
    const stored = await c.database.db.selectFrom('users').select(['phone_enc']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.phone_enc).not.toContain('13812345678');
    const a1 = await admin('sysadmin1');
    expect((await a1.get(`/api/users/${id}`)).json()).toMatchObject({ phone: '138****5678' });
    const found = (await a1.get('/api/users?q=13812345678')).json<{ items: { id: string }[] }>();
    expect(found.items.map((u) => u.id)).toEqual([id]);
    expect((await a1.post(`/api/users/${id}/reveal`)).json()).toEqual({ phone: '13812345678' });
    const audit = await c.services.audit.list(c.database.db, { entityId: id, action: 'identity.user.reveal' });
    expect(audit.items).toHaveLength(1);
    const mgr = new Client(c.app);
    await mgr.signIn('mgr_all');
    expect((await mgr.post(`/api/users/${id}/reveal`)).statusCode).toBe(403);
  });
});
