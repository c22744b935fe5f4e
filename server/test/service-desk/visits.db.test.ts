import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DueVisitList, ReturnVisit } from '@courtyard/contracts';
import { createVisitsService, inSample } from '../../src/modules/service-desk/index.js';
import { systemContext } from '../../src/core/http/context.js';
import { createIdGenerator } from '../../src/core/ids.js';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { code, signedIn } from '../people/fixtures.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let manager: Client;
let serviceA: Client;
let serviceB: Client;

const RANGE = { closedFrom: '2026-02-01T00:00:00.000Z', closedTo: '2026-03-01T00:00:00.000Z' };

/**
 * A request entered through the request service, then moved straight to `closed` at `closedAt`
 * (the workflow's own tests walk every transition; these tests need only its end state).
 */
async function closedRequest(communityId: string, closedAt: string, description = '楼道灯不亮'): Promise<{ id: string; number: string }> {
  const res = await manager.post('/api/service-requests', { communityId, channel: 'phone', type: 'repair_public', location: '3 号楼电梯厅', description });
  if (res.statusCode !== 201) throw new Error(res.body);
  const { id, number } = res.json<{ id: string; number: string }>();
  await c.database.db.updateTable('service_requests').set({ state: 'closed', closed_at: closedAt }).where('id', '=', id).execute();
  return { id, number };
}
const due = async (client: Client, communityId: string, percent?: number) =>
  client.get(`/api/return-visits/due?communityId=${communityId}&closedFrom=${RANGE.closedFrom}&closedTo=${RANGE.closedTo}${percent ? `&percent=${percent}` : ''}`);

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'VA');
  communityB = await makeCommunity(c, 'VB');
  await makeUser(c, { username: 'mgr', role: 'property_manager' });
  await makeUser(c, { username: 'svc_a', role: 'customer_service', communityId: communityA });
  await makeUser(c, { username: 'svc_b', role: 'customer_service', communityId: communityB });
  manager = await signedIn(c, 'mgr');
  serviceA = await signedIn(c, 'svc_a');
  serviceB = await signedIn(c, 'svc_b');
});
afterAll(() => c.dispose());

describe('the due list', () => {
  it('lists closed requests closed inside [from, to) and not yet reached; open ones and other ranges are left out', async () => {
    const inside = await closedRequest(communityA, '2026-02-10T03:00:00.000Z');
    const atStart = await closedRequest(communityA, RANGE.closedFrom);
    const atEnd = await closedRequest(communityA, RANGE.closedTo);
    const open = await manager.post('/api/service-requests', { communityId: communityA, channel: 'phone', type: 'repair_public', location: '大门', description: '门禁坏了' });
    const ids = (await due(serviceA, communityA)).json<DueVisitList>().items.map((i) => i.requestId);
    expect(ids).toEqual(expect.arrayContaining([inside.id, atStart.id]));
    expect(ids).not.toContain(atEnd.id);
    expect(ids).not.toContain(open.json<{ id: string }>().id);
  });

  it('samples a stable share chosen by the request id', async () => {
    for (let i = 0; i < 12; i++) await closedRequest(communityA, `2026-02-1${i % 9}T08:00:00.000Z`, `样本 ${i}`);
    const all = (await due(serviceA, communityA)).json<DueVisitList>();
    const half = (await due(serviceA, communityA, 50)).json<DueVisitList>();
    expect(half.total).toBe(all.total);
    expect(half.items.map((i) => i.requestId)).toEqual(all.items.filter((i) => inSample(i.requestId, 50)).map((i) => i.requestId));
    expect((await due(serviceA, communityA, 50)).json<DueVisitList>().items).toEqual(half.items);
  });

  it('a range that does not end after it starts is refused on closedTo, in the caller’s language', async () => {
    const url = `/api/return-visits/due?communityId=${communityA}&closedFrom=${RANGE.closedTo}&closedTo=${RANGE.closedFrom}`;
    const zh = await manager.request('GET', url, undefined, { 'accept-language': 'zh-CN' });
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: '/querystring/closedTo', message: '必须晚于开始时间' }] });
    const en = await manager.request('GET', url, undefined, { 'accept-language': 'en-US' });
    expect(en.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: '/querystring/closedTo', message: 'must be after closedFrom' }] });
  });

  it('scope: community B customer service cannot list or visit community A requests', async () => {
    expect(code(await due(serviceB, communityA))).toBe('auth.out_of_scope');
    const r = await closedRequest(communityA, '2026-02-11T08:00:00.000Z');
    expect(code(await serviceB.post('/api/return-visits', { requestId: r.id, outcome: 'satisfied' }))).toBe('auth.out_of_scope');
  });
});

describe('outcomes', () => {
  it('satisfied: the request leaves the due list and cannot be visited again', async () => {
    const r = await closedRequest(communityA, '2026-02-12T08:00:00.000Z');
    const res = await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'satisfied', notes: '业主表示满意' });
    expect(res.statusCode).toBe(201);
    expect(res.json<ReturnVisit>()).toMatchObject({ outcome: 'satisfied', complaintRequestId: null, requestNumber: r.number });
    expect((await due(serviceA, communityA)).json<DueVisitList>().items.map((i) => i.requestId)).not.toContain(r.id);
    expect(code(await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'dissatisfied' }))).toBe('service_desk.visit_not_due');
  });

  it('unreachable: the request stays due with the attempt counted, and may be called again', async () => {
    const r = await closedRequest(communityA, '2026-02-13T08:00:00.000Z');
    expect((await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'unreachable' })).statusCode).toBe(201);
    expect((await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'unreachable' })).statusCode).toBe(201);
    const item = (await due(serviceA, communityA)).json<DueVisitList>().items.find((i) => i.requestId === r.id);
    expect(item?.unreachableAttempts).toBe(2);
    expect((await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'satisfied' })).statusCode).toBe(201);
  });

  it('dissatisfied: a complaint linked to the request is opened through the request service', async () => {
    const r = await closedRequest(communityA, '2026-02-14T08:00:00.000Z');
    const res = await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'dissatisfied', notes: '灯还是不亮' });
    expect(res.statusCode).toBe(201);
    const visit = res.json<ReturnVisit>();
    expect(visit.complaintRequestId).not.toBeNull();
    const complaint = await c.database.db.selectFrom('service_requests').selectAll().where('id', '=', visit.complaintRequestId!).executeTakeFirstOrThrow();
    expect(complaint).toMatchObject({ type: 'complaint', state: 'submitted', community_id: communityA });
    expect(complaint.description).toContain(r.number);
    expect(complaint.description).toContain('灯还是不亮');
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', r.id).where('action', '=', 'service_desk.visit.record').execute();
    expect(audit).toHaveLength(1);
  });

  it('dissatisfied: when the visit cannot be recorded, the complaint is not opened either (one transaction)', async () => {
    const r = await closedRequest(communityA, '2026-02-15T08:00:00.000Z');
    const db = c.database.db;
    const complaints = async () => (await db.selectFrom('service_requests').select('id').where('community_id', '=', communityA).where('type', '=', 'complaint').execute()).length;
    const counter = async () => (await db.selectFrom('service_request_counters').select('last_number').where('community_id', '=', communityA).where('prefix', '=', 'TS').executeTakeFirst())?.last_number ?? 0;
    const [complaintsBefore, counterBefore] = [await complaints(), await counter()];
    // The same wiring as the application, with an audit that fails on the visit's own record:
    // the failure comes after the complaint was written in the transaction.
    const failing = createVisitsService({
      db,
      clock: c.clock,
      ids: createIdGenerator(c.clock),
      audit: {
        ...c.services.audit,
        record: (tx, ctx, entry) => (entry.action === 'service_desk.visit.record' ? Promise.reject(new Error('audit unavailable')) : c.services.audit.record(tx, ctx, entry)),
      },
      openComplaint: (tx, ctx, input) => c.services.serviceRequests.createIn(tx, ctx, { communityId: input.communityId, channel: 'staff', type: 'complaint', roomId: input.roomId, location: input.location, description: input.description }),
    });
    await expect(failing.record(systemContext('test'), { requestId: r.id, outcome: 'dissatisfied', notes: '还是不亮' })).rejects.toThrow('audit unavailable');
    expect(await complaints()).toBe(complaintsBefore);
    expect(Number(await counter())).toBe(Number(counterBefore));
    expect(await db.selectFrom('return_visits').select('id').where('request_id', '=', r.id).execute()).toHaveLength(0);
    // Nothing was left half done: the visit can still be recorded, and then opens its complaint.
    const res = await serviceA.post('/api/return-visits', { requestId: r.id, outcome: 'dissatisfied' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await complaints()).toBe(complaintsBefore + 1);
  });

  it('a request that is not closed is not due', async () => {
    const open = await manager.post('/api/service-requests', { communityId: communityA, channel: 'phone', type: 'repair_public', location: '大门', description: '门禁坏了' });
    expect(code(await serviceA.post('/api/return-visits', { requestId: open.json<{ id: string }>().id, outcome: 'satisfied' }))).toBe('service_desk.visit_not_due');
  });
});
