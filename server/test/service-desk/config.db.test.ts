import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskStaffList, ServiceDeskSettings, ServiceRequest, SlaPolicy } from '@courtyard/contracts';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { code, signedIn } from '../people/fixtures.js';
import { deskCommunity } from './fixtures.js';

/**
 * What the settings page (服务台设置) relies on beyond the configuration CRUD: the staff picker,
 * field-named validation errors for limits and business hours, holidays replaced with the
 * settings, and display names on the request timeline.
 */
let c: TestCourtyard;
let A: string;
let B: string;
let mgr: Client;
let cs: Client;
let techUser: string;

beforeAll(async () => {
  c = await startCourtyard();
  A = await deskCommunity(c, 'CA');
  B = await deskCommunity(c, 'CB');
  await makeUser(c, { username: 'cfg_mgr', role: 'property_manager', communityId: A });
  await makeUser(c, { username: 'cfg_cs', role: 'customer_service', communityId: A });
  techUser = await makeUser(c, { username: 'cfg_tech', role: 'technician', communityId: A });
  await makeUser(c, { username: 'cfg_tech_b', role: 'technician', communityId: B });
  await makeUser(c, { username: 'cfg_nogrant' });
  await makeUser(c, { username: 'cfg_owner', kind: 'owner', role: 'resident', communityId: A });
  await c.database.db.updateTable('users').set({ display_name: '陈师傅' }).where('id', '=', techUser).execute();
  mgr = await signedIn(c, 'cfg_mgr');
  cs = await signedIn(c, 'cfg_cs');
});
afterAll(() => c.dispose());

describe('the staff picker', () => {
  it('lists active staff with a role in the community, not owners, not staff of other communities, not accounts without a role', async () => {
    const res = await mgr.get(`/api/service-desk/staff?communityId=${A}`);
    expect(res.statusCode, res.body).toBe(200);
    const names = res.json<DeskStaffList>().items.map((i) => i.username);
    expect(names).toEqual(expect.arrayContaining(['cfg_mgr', 'cfg_cs', 'cfg_tech']));
    expect(names).not.toContain('cfg_tech_b');
    expect(names).not.toContain('cfg_nogrant');
    expect(names).not.toContain('cfg_owner');
  });

  it('searches by display name or username and marks who is already a technician', async () => {
    const before = (await mgr.get(`/api/service-desk/staff?communityId=${A}&q=${encodeURIComponent('陈')}`)).json<DeskStaffList>().items;
    expect(before).toEqual([{ userId: techUser, username: 'cfg_tech', displayName: '陈师傅', technicianId: null }]);
    const created = await mgr.post('/api/technicians', { communityId: A, userId: techUser, name: '陈师傅' });
    expect(created.statusCode, created.body).toBe(201);
    const after = (await mgr.get(`/api/service-desk/staff?communityId=${A}&q=CFG_TECH`)).json<DeskStaffList>().items;
    expect(after.map((i) => [i.username, i.technicianId])).toEqual([['cfg_tech', created.json<{ id: string }>().id]]);
  });

  it('is for configuration managers of the community only', async () => {
    expect(code(await cs.get(`/api/service-desk/staff?communityId=${A}`))).toBe('auth.forbidden');
    expect(code(await mgr.get(`/api/service-desk/staff?communityId=${B}`))).toBe('auth.out_of_scope');
  });
});

describe('validation errors name the field the page shows them on', () => {
  it('a time limit with accept after arrive names its row', async () => {
    const sla = (await mgr.get(`/api/service-desk/sla?communityId=${A}`)).json<{ items: SlaPolicy[] }>().items;
    const items = sla.map((p, i) => (i === 3 ? { ...p, acceptMinutes: p.arriveMinutes + 1 } : p));
    const res = await mgr.put('/api/service-desk/sla', { communityId: A, items });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('/body/items/3');
  });

  it('a business window ending before it starts names the weekday and window', async () => {
    const s = (await mgr.get(`/api/service-desk/settings?communityId=${A}`)).json<ServiceDeskSettings>();
    const week = s.week.map((d, i) => (i === 2 ? [{ start: 600, end: 540 }] : d));
    const res = await mgr.put(`/api/service-desk/settings?communityId=${A}`, { week, utcOffsetMinutes: s.utcOffsetMinutes, holidays: s.holidays, autoCloseHours: s.autoCloseHours, warnAtPercent: s.warnAtPercent });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('/body/week/2/0');
  });

  it('holidays are added and removed with the settings, one per date, and audited', async () => {
    const s = (await mgr.get(`/api/service-desk/settings?communityId=${A}`)).json<ServiceDeskSettings>();
    const body = { week: s.week, utcOffsetMinutes: s.utcOffsetMinutes, autoCloseHours: 48, warnAtPercent: 75 };
    const added = await mgr.put(`/api/service-desk/settings?communityId=${A}`, { ...body, holidays: [{ on: '2026-10-01', kind: 'holiday', name: '国庆节' }, { on: '2026-10-10', kind: 'workday', name: '调休' }] });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json<ServiceDeskSettings>()).toMatchObject({ autoCloseHours: 48, warnAtPercent: 75, holidays: [{ on: '2026-10-01' }, { on: '2026-10-10', kind: 'workday' }] });
    const removed = await mgr.put(`/api/service-desk/settings?communityId=${A}`, { ...body, holidays: [{ on: '2026-10-10', kind: 'workday', name: '调休' }] });
    expect(removed.json<ServiceDeskSettings>().holidays.map((h) => h.on)).toEqual(['2026-10-10']);
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', A).where('action', '=', 'service_desk.settings.update').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the request timeline', () => {
  it('names people by their display name, not their sign-in name', async () => {
    await c.database.db.updateTable('users').set({ display_name: '王经理' }).where('username', '=', 'cfg_mgr').execute();
    const res = await mgr.post('/api/service-requests', { communityId: A, channel: 'phone', type: 'repair_public', location: '2 号楼大堂', description: '灯不亮' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json<ServiceRequest>();
    expect(r.timeline[0]).toMatchObject({ action: 'submit', actorName: '王经理' });
  });
});
