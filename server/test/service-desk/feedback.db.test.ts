import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feedback, FeedbackPage, FeedbackStats, InboxItem, Person } from '@courtyard/contracts';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { code, signedIn } from '../people/fixtures.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let admin: Client;
let serviceA: Client;
let serviceB: Client;
let technician: Client;
let owner: Client;

async function send(client: Client, body: Record<string, unknown>): Promise<Feedback> {
  const res = await client.post('/api/feedback', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<Feedback>();
}

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'FA');
  communityB = await makeCommunity(c, 'FB');
  await makeUser(c, { username: 'sysadm', role: 'property_manager' });
  await makeUser(c, { username: 'svc_a', role: 'customer_service', communityId: communityA });
  await makeUser(c, { username: 'svc_b', role: 'customer_service', communityId: communityB });
  await makeUser(c, { username: 'tech_a', role: 'technician', communityId: communityA });
  const ownerId = await makeUser(c, { username: 'owner_a', kind: 'owner', role: 'resident', communityId: communityA });
  admin = await signedIn(c, 'sysadm');
  serviceA = await signedIn(c, 'svc_a');
  serviceB = await signedIn(c, 'svc_b');
  technician = await signedIn(c, 'tech_a');
  owner = await signedIn(c, 'owner_a');
  // The owner is registered in community A (persons.user_id): their feedback belongs there.
  const res = await admin.post('/api/persons', { communityId: communityA, kind: 'individual', name: '业主甲', userId: ownerId });
  expect(res.json<Person>().userId).toBe(ownerId);
});
afterAll(() => c.dispose());

describe('sending', () => {
  it('an owner’s feedback carries their community; a one-community staff member’s too; an organisation-wide administrator’s none', async () => {
    expect(await send(owner, { category: 'function', body: '希望门户能在线缴费' })).toMatchObject({ communityId: communityA, senderKind: 'owner', senderName: 'owner_a', state: 'new', response: null });
    expect((await send(technician, { category: 'operation', body: '工单页面在手机上按钮太小' })).communityId).toBe(communityA);
    expect((await send(admin, { category: 'security', body: '建议支持硬件密钥登录' })).communityId).toBeNull();
  });

  it('refuses an unknown category and empty text; a visitor without the right cannot send', async () => {
    expect((await owner.post('/api/feedback', { category: 'praise', body: 'x' })).statusCode).toBe(400);
    expect((await owner.post('/api/feedback', { category: 'other', body: '' })).statusCode).toBe(400);
    await makeUser(c, { username: 'visitor1', kind: 'owner', role: 'visitor' });
    const visitor = await signedIn(c, 'visitor1');
    expect((await visitor.post('/api/feedback', { category: 'other', body: 'hi' })).statusCode).toBe(403);
  });
});

describe('triage and answer', () => {
  it('new → in triage → answered → closed; the sender is notified in the app and sees the answer under “my feedback”', async () => {
    const f = await send(owner, { category: 'other', body: '小区公告能否推送到微信' });
    expect((await serviceA.post(`/api/feedback/${f.id}/triage`)).json<Feedback>().state).toBe('in_triage');
    expect(code(await serviceA.post(`/api/feedback/${f.id}/triage`))).toBe('service_desk.feedback_illegal_transition');
    const answered = (await serviceA.post(`/api/feedback/${f.id}/answer`, { response: '已列入下个版本计划，感谢建议。' })).json<Feedback>();
    expect(answered).toMatchObject({ state: 'answered', response: '已列入下个版本计划，感谢建议。' });
    expect(answered.respondedAt).toBe(c.clock.now().toISOString());
    const inbox = (await owner.get('/api/notifications/inbox')).json<{ items: InboxItem[] }>().items;
    expect(inbox[0]).toMatchObject({ template: 'service_desk.feedback_answered', subject: '您的反馈已答复' });
    expect(inbox[0]!.body).toContain('已列入下个版本计划');
    const mine = (await owner.get('/api/feedback/mine')).json<FeedbackPage>().items;
    expect(mine.find((x) => x.id === f.id)).toMatchObject({ state: 'answered', response: '已列入下个版本计划，感谢建议。' });
    expect((await serviceA.post(`/api/feedback/${f.id}/close`)).json<Feedback>().state).toBe('closed');
    expect(code(await serviceA.post(`/api/feedback/${f.id}/answer`, { response: 'again' }))).toBe('service_desk.feedback_illegal_transition');
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', f.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['service_desk.feedback.send', 'service_desk.feedback.triage', 'service_desk.feedback.answer', 'service_desk.feedback.close']);
  });

  it('scope: community B staff cannot see or answer community A feedback; organisation-wide feedback is for all-community administrators only', async () => {
    const fa = await send(owner, { category: 'function', body: 'A 的反馈' });
    const org = await send(admin, { category: 'other', body: '全局反馈' });
    expect((await serviceB.get('/api/feedback')).json<FeedbackPage>().items.map((x) => x.id)).not.toContain(fa.id);
    expect(code(await serviceB.post(`/api/feedback/${fa.id}/answer`, { response: 'x' }))).toBe('auth.out_of_scope');
    const listA = (await serviceA.get('/api/feedback')).json<FeedbackPage>().items.map((x) => x.id);
    expect(listA).toContain(fa.id);
    expect(listA).not.toContain(org.id);
    expect(code(await serviceA.post(`/api/feedback/${org.id}/triage`))).toBe('auth.out_of_scope');
    expect((await admin.get('/api/feedback')).json<FeedbackPage>().items.map((x) => x.id)).toEqual(expect.arrayContaining([fa.id, org.id]));
    // Senders read their own items; others' only with the right.
    expect((await owner.get(`/api/feedback/${fa.id}`)).statusCode).toBe(200);
    expect((await technician.get(`/api/feedback/${fa.id}`)).statusCode).toBe(403);
    expect((await owner.get('/api/feedback')).statusCode).toBe(403);
  });

  it('stats count by category and state within the caller’s scope', async () => {
    const all = (await admin.get('/api/feedback/stats')).json<FeedbackStats>();
    const a = (await serviceA.get('/api/feedback/stats')).json<FeedbackStats>();
    const b = (await serviceB.get('/api/feedback/stats')).json<FeedbackStats>();
    const rows = await c.database.db.selectFrom('feedback_items').select(['community_id', 'category', 'state']).execute();
    expect(all.total).toBe(rows.length);
    expect(a.total).toBe(rows.filter((r) => r.community_id === communityA).length);
    expect(b.total).toBe(0);
    expect(all.byCategory.find((x) => x.category === 'security')?.count).toBe(rows.filter((r) => r.category === 'security').length);
    expect(a.byState.find((x) => x.state === 'closed')?.count).toBe(1);
    expect(all.byState.map((x) => x.state)).toEqual(['new', 'in_triage', 'answered', 'closed']);
  });
});
