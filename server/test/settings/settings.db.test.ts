import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, enrolMfa, makeCommunity, makeUser, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
let secret: string;
let communityA: string;
let communityB: string;
const admin = () => signInWithMfa(c.app, c.clock, 'root', secret);

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'A');
  communityB = await makeCommunity(c, 'B');
  await makeUser(c, { username: 'root', role: 'system_admin' });
  const first = new Client(c.app);
  await first.signIn('root');
  secret = (await enrolMfa(first, c.clock)).secret;
});
afterAll(() => c.dispose());

describe('system settings', () => {
  it('start from the catalogue defaults', async () => {
    const res = await (await admin()).get('/api/settings/locale.defaults');
    expect(res.json()).toMatchObject({ key: 'locale.defaults', value: { language: 'zh-CN', timezone: 'Asia/Shanghai', dateFormat: 'YYYY-MM-DD' }, stored: false });
  });

  it('never return a stored secret in clear, through any route', async () => {
    const a = await admin();
    const saved = await a.put('/api/settings/notifications.email', { value: { enabled: true, host: 'smtp.example.cn', port: 465, secure: true, user: 'noreply', password: 'S3cret-Smtp!', from: 'noreply@example.cn' } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ value: { host: 'smtp.example.cn', password: '' }, secretsSet: ['password'], stored: true });
    for (const url of ['/api/settings', '/api/settings/notifications.email']) {
      const body = (await a.get(url)).body;
      expect(body).not.toContain('S3cret-Smtp!');
    }
    const audit = await c.services.audit.list(c.database.db, { action: 'settings.update', entityId: 'notifications.email' });
    expect(JSON.stringify(audit.items)).not.toContain('S3cret-Smtp!');
    const row = await c.database.db.selectFrom('settings').selectAll().where('key', '=', 'notifications.email').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('S3cret-Smtp!');
    // the server itself reads it decrypted
    expect((await c.services.settings.get('notifications.email')).password).toBe('S3cret-Smtp!');
  });

  it('keep a secret when an update leaves it out, and clear it with null', async () => {
    const a = await admin();
    await a.put('/api/settings/notifications.email', { value: { host: 'smtp2.example.cn' } });
    expect((await c.services.settings.get('notifications.email')).password).toBe('S3cret-Smtp!');
    await a.put('/api/settings/notifications.email', { value: { password: '' } });
    expect((await c.services.settings.get('notifications.email')).password).toBe('S3cret-Smtp!');
    const cleared = await a.put('/api/settings/notifications.email', { value: { password: null } });
    expect(cleared.json()).toMatchObject({ secretsSet: [] });
    expect((await c.services.settings.get('notifications.email')).password).toBe('');
  });

  it('validate values and name the offending field, changing nothing', async () => {
    const a = await admin();
    const res = await a.put('/api/settings/security.accounts', { value: { lockThreshold: 0, idleMinutes: 'soon' } });
    expect(res.statusCode).toBe(400);
    const errors = res.json<{ errors: { field: string; message: string }[] }>().errors;
    expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(['/body/value/lockThreshold', '/body/value/idleMinutes']));
    // in the caller's language (zh-CN by default)
    expect(errors.find((e) => e.field === '/body/value/lockThreshold')!.message).toBe('不能小于 1');
    expect((await a.get('/api/settings/security.accounts')).json()).toMatchObject({ stored: false });
    expect((await a.put('/api/settings/no.such.key', { value: {} })).statusCode).toBe(404);
  });

  it('are audited with before and after', async () => {
    const a = await admin();
    await a.put('/api/settings/organisation.profile', { value: { name: '翠湖物业服务有限公司' } });
    const audit = await c.services.audit.list(c.database.db, { action: 'settings.update', entityId: 'organisation.profile' });
    expect(audit.items[0]).toMatchObject({ actorName: 'root', after: { name: '翠湖物业服务有限公司' } });
  });

  it('let a community override what allows it, within the manager’s scope only', async () => {
    await makeUser(c, { username: 'mgr_a', role: 'property_manager', communityId: communityA });
    const mgr = new Client(c.app);
    await mgr.signIn('mgr_a');
    const own = await mgr.put('/api/settings/locale.defaults', { value: { timezone: 'Asia/Urumqi' }, communityId: communityA });
    expect(own.statusCode).toBe(200);
    expect(await c.services.settings.get('locale.defaults', communityA)).toMatchObject({ timezone: 'Asia/Urumqi', language: 'zh-CN' });
    expect(await c.services.settings.get('locale.defaults', communityB)).toMatchObject({ timezone: 'Asia/Shanghai' });
    expect((await mgr.put('/api/settings/locale.defaults', { value: { timezone: 'Asia/Urumqi' }, communityId: communityB })).json()).toMatchObject({ code: 'auth.out_of_scope' });
    expect((await mgr.put('/api/settings/locale.defaults', { value: { timezone: 'Asia/Urumqi' } })).statusCode).toBe(403);
    expect((await mgr.put('/api/settings/notifications.email', { value: { host: 'x' }, communityId: communityA })).statusCode).toBe(400);
    const cleared = await mgr.request('DELETE', `/api/settings/locale.defaults?communityId=${communityA}`);
    expect(cleared.json()).toMatchObject({ stored: false, value: { timezone: 'Asia/Shanghai' } });
  });

  it('the account policy follows the saved setting', async () => {
    const a = await admin();
    await a.put('/api/settings/security.accounts', { value: { lockThreshold: 5 } });
    c.clock.advance(10_000); // past the settings cache
    await makeUser(c, { username: 'patient' });
    const user = new Client(c.app);
    for (let i = 0; i < 4; i++) expect((await user.signIn('patient', 'wrong')).statusCode).toBe(401);
    expect((await user.signIn('patient', 'wrong')).statusCode).toBe(423);
  });
});
