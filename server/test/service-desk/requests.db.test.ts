import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceRequest, ServiceRequestPage } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { code, signedIn } from '../people/fixtures.js';
import { categoryId, deskCommunity, makeResident, makeRoom } from './fixtures.js';
import type { Client } from '../harness.js';

/**
 * Requests end to end through the API: the workflow from portal submission to closing, paid
 * repairs, concurrent takes, who may see and act on what, time-limit escalation and auto-close.
 */
let c: TestCourtyard;
let A: string;
let B: string;
let room101: string;
let room102: string;
let plumbing: string;
let team1: string;
let tech1Id: string;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  c = await startCourtyard();
  A = await deskCommunity(c, 'A');
  B = await deskCommunity(c, 'B');
  room101 = await makeRoom(c, A, '1-1-101');
  room102 = await makeRoom(c, A, '1-1-102');
  plumbing = await categoryId(c, A, 'repair_room', 'plumbing');
  await makeUser(c, { username: 'cs', role: 'customer_service', communityId: A });
  await makeUser(c, { username: 'csb', role: 'customer_service', communityId: B });
  const mgr = await makeUser(c, { username: 'mgr', role: 'property_manager', communityId: A });
  const u1 = await makeUser(c, { username: 'tech1', role: 'technician', communityId: A });
  const u2 = await makeUser(c, { username: 'tech2', role: 'technician', communityId: A });
  const u3 = await makeUser(c, { username: 'tech3', role: 'technician', communityId: A });
  await makeResident(c, 'owner1', A, room101);
  await makeResident(c, 'owner2', A, room102);
  const sys = systemContext('test');
  const cfg = c.services.deskConfig;
  const t1 = await cfg.createTechnician(sys, { communityId: A, userId: u1, name: '张师傅', skills: [plumbing] });
  const t2 = await cfg.createTechnician(sys, { communityId: A, userId: u2, name: '李师傅', skills: [plumbing] });
  const t3 = await cfg.createTechnician(sys, { communityId: A, userId: u3, name: '王师傅', skills: [] });
  tech1Id = t1.id;
  team1 = (await cfg.createTeam(sys, { communityId: A, name: '水电班', supervisorUserId: mgr, memberIds: [t1.id, t2.id] })).id;
  await cfg.createTeam(sys, { communityId: A, name: '综合班', supervisorUserId: null, memberIds: [t3.id] });
  for (const u of ['cs', 'csb', 'mgr', 'tech1', 'tech2', 'tech3', 'owner1', 'owner2']) clients[u] = await signedIn(c, u);
});
afterAll(async () => {
  await c.dispose();
});

/** Time passes; sessions idle out after 30 minutes, so everyone signs in again. */
const later = async (ms: number) => {
  c.clock.advance(ms);
  for (const u of Object.keys(clients)) clients[u] = await signedIn(c, u);
};

const submit = async (owner = 'owner1', extra: Record<string, unknown> = {}) => {
  const res = await clients[owner]!.post('/api/portal/service-requests', { type: 'repair_room', roomId: owner === 'owner1' ? room101 : room102, categoryId: plumbing, description: '厨房水龙头漏水', contactPhone: '13812345678', ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ServiceRequest>();
};
const act = (who: string, id: string, body: Record<string, unknown>) => clients[who]!.post(`/api/service-requests/${id}/transitions`, body);
const ok = async (who: string, id: string, body: Record<string, unknown>) => {
  const res = await act(who, id, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ServiceRequest>();
};

describe('the workflow from the portal to closing', () => {
  it('submitted → accepted → dispatched to a team → taken → in progress → paused → resolved (paid) → confirmed → closed, all on the timeline', async () => {
    const r = await submit();
    expect(r).toMatchObject({ number: 'BX-2026-000001', state: 'submitted', channel: 'portal', location: '1-1-101', contactPhone: '138****5678', actions: ['cancel'] });
    expect(r.sla).toMatchObject({ stage: 'accept', limitMinutes: 60, overdue: false, paused: false });

    await ok('cs', r.id, { action: 'accept' });
    const dispatched = await ok('cs', r.id, { action: 'dispatch', teamId: team1 });
    expect(dispatched).toMatchObject({ state: 'dispatched', teamId: team1, technicianId: null, sla: { stage: 'arrive' } });

    const taken = await ok('tech1', r.id, { action: 'take' });
    expect(taken.technicianId).toBe(tech1Id);
    await ok('tech1', r.id, { action: 'start' });
    await ok('tech1', r.id, { action: 'pause', reason: '业主不在家' });
    const paused = (await clients.cs!.get(`/api/service-requests/${r.id}`)).json<ServiceRequest>();
    expect(paused.sla).toMatchObject({ stage: 'resolve', paused: true, dueAt: null });
    await later(3_600_000);
    await ok('tech1', r.id, { action: 'resume' });
    const resolved = await ok('tech1', r.id, {
      action: 'resolve',
      result: '更换水龙头阀芯',
      chargeable: true,
      lines: [
        { kind: 'material', name: '阀芯', quantity: 2, unitPriceCents: 1990 },
        { kind: 'labour', name: '上门维修', quantity: 1, unitPriceCents: 5000 },
      ],
    });
    expect(resolved).toMatchObject({ state: 'resolved', costCents: 8980, charge: { totalCents: 8980, status: 'pending', roomId: room101, billId: null } });
    const event = await c.database.db.selectFrom('outbox_events').selectAll().where('type', '=', 'service_desk.charge.created').executeTakeFirstOrThrow();
    expect(JSON.parse(event.payload_json)).toMatchObject({ requestId: r.id, roomId: room101, totalCents: 8980 });

    const confirmed = await ok('owner1', r.id, { action: 'confirm', rating: 5, comment: '师傅很专业' });
    expect(confirmed).toMatchObject({ state: 'confirmed', rating: 5, ratingComment: '师傅很专业' });
    const closed = await ok('cs', r.id, { action: 'close' });
    expect(closed.state).toBe('closed');
    expect(closed.timeline.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['submit', null, 'submitted'],
      ['accept', 'submitted', 'accepted'],
      ['dispatch', 'accepted', 'dispatched'],
      ['take', 'dispatched', 'dispatched'],
      ['start', 'dispatched', 'in_progress'],
      ['pause', 'in_progress', 'paused'],
      ['resume', 'paused', 'in_progress'],
      ['resolve', 'in_progress', 'resolved'],
      ['confirm', 'resolved', 'confirmed'],
      ['close', 'confirmed', 'closed'],
    ]);
    expect(closed.timeline[5]).toMatchObject({ actorName: 'tech1', comment: '业主不在家' });
  });

  it('two technicians grabbing the same request: exactly one wins', async () => {
    const r = await submit();
    await ok('cs', r.id, { action: 'accept' });
    await ok('cs', r.id, { action: 'dispatch', teamId: team1 });
    const [a, b] = await Promise.all([act('tech1', r.id, { action: 'take' }), act('tech2', r.id, { action: 'take' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(code(a.statusCode === 409 ? a : b)).toBe('service_desk.stale');
    const takes = await c.database.db.selectFrom('service_request_events').select('actor_name').where('request_id', '=', r.id).where('action', '=', 'take').execute();
    expect(takes).toHaveLength(1);
  });

  it('refuses illegal transitions naming from and to; a stale version is refused', async () => {
    const r = await submit();
    await ok('cs', r.id, { action: 'accept' });
    await ok('cs', r.id, { action: 'dispatch', technicianId: tech1Id });
    const cancel = await act('owner1', r.id, { action: 'cancel' });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ code: 'service_desk.transition_refused', errors: [{ field: '/from', message: 'dispatched' }, { field: '/to', message: 'cancelled' }, { field: '/body/action', message: 'cancel' }] });
    const stale = await act('cs', r.id, { action: 'dispatch', technicianId: tech1Id, version: 1 });
    expect(code(stale)).toBe('service_desk.stale');
  });

  it('numbers are gap-free: a refused submission uses no number', async () => {
    const before = (await submit()).number;
    const bad = await clients.owner1!.post('/api/portal/service-requests', { type: 'repair_room', roomId: room101, categoryId: await categoryId(c, B, 'repair_room', 'plumbing'), description: 'x' });
    expect(code(bad)).toBe('service_desk.category_mismatch');
    const after = (await submit()).number;
    expect(Number(after.slice(-6))).toBe(Number(before.slice(-6)) + 1);
  });
});

describe('who sees and acts on what', () => {
  it('an owner sees only requests they submitted or of a room they live in', async () => {
    const r = await submit('owner1');
    expect((await clients.owner2!.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await act('owner2', r.id, { action: 'cancel' })).statusCode).toBe(404);
    const mine = (await clients.owner2!.get('/api/portal/service-requests')).json<ServiceRequestPage>();
    expect(mine.items.some((i) => i.id === r.id)).toBe(false);
    // Entered by staff for room 101: its occupant sees it too.
    const byPhone = await clients.cs!.post('/api/service-requests', { communityId: A, channel: 'phone', type: 'repair_room', roomId: room101, description: '卫生间下水堵塞' });
    expect(byPhone.statusCode, byPhone.body).toBe(201);
    expect((await clients.owner1!.get(`/api/service-requests/${byPhone.json<ServiceRequest>().id}`)).statusCode).toBe(200);
    // Owners cannot use staff routes.
    expect((await clients.owner1!.get(`/api/service-requests/board?communityId=${A}`)).statusCode).toBe(403);
  });

  it('a technician sees only what is dispatched to them or their team', async () => {
    const r = await submit();
    expect((await clients.tech1!.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    await ok('cs', r.id, { action: 'accept' });
    await ok('cs', r.id, { action: 'dispatch', teamId: team1 });
    expect((await clients.tech2!.get(`/api/service-requests/${r.id}`)).statusCode).toBe(200);
    // tech3 is in another team.
    expect((await clients.tech3!.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
    expect((await act('tech3', r.id, { action: 'take' })).statusCode).toBe(404);
    const work = (await clients.tech3!.get('/api/service-desk/my-work')).json<ServiceRequestPage>();
    expect(work.items.some((i) => i.id === r.id)).toBe(false);
    expect((await clients.tech2!.get('/api/service-desk/my-work')).json<ServiceRequestPage>().items.some((i) => i.id === r.id)).toBe(true);
    expect((await clients.tech1!.get(`/api/service-requests/board?communityId=${A}`)).statusCode).toBe(403);
  });

  it('staff of community B cannot see A', async () => {
    const r = await submit();
    expect(code(await clients.csb!.get(`/api/service-requests/board?communityId=${A}`))).toBe('auth.out_of_scope');
    expect(code(await clients.csb!.get(`/api/service-requests/${r.id}`))).toBe('auth.out_of_scope');
    expect(code(await act('csb', r.id, { action: 'accept' }))).toBe('auth.out_of_scope');
  });
});

describe('board, time limits and jobs', () => {
  it('the board lists open requests with remaining time, filters and keyset pages', async () => {
    const page1 = (await clients.cs!.get(`/api/service-requests/board?communityId=${A}&limit=2`)).json<ServiceRequestPage>();
    expect(page1.items).toHaveLength(2);
    expect(page1.items.every((i) => !['closed', 'cancelled', 'rejected'].includes(i.state))).toBe(true);
    const page2 = (await clients.cs!.get(`/api/service-requests/board?communityId=${A}&limit=2&cursor=${page1.nextCursor}`)).json<ServiceRequestPage>();
    expect(page2.items[0]!.id < page1.items[1]!.id).toBe(true);
    const submitted = (await clients.cs!.get(`/api/service-requests/board?communityId=${A}&state=submitted`)).json<ServiceRequestPage>();
    expect(submitted.items.every((i) => i.state === 'submitted' && i.sla?.stage === 'accept')).toBe(true);
  });

  it('escalates to the supervisor when a limit passes, once per stage; the board shows it overdue', async () => {
    const r = await submit('owner2', { priority: 'urgent' });
    await c.services.serviceRequests.sweepSla();
    await later(2 * 86_400_000);
    const first = await c.services.serviceRequests.sweepSla();
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const mgr = await c.database.db.selectFrom('users').select('id').where('username', '=', 'mgr').executeTakeFirstOrThrow();
    const sent = await c.database.db.selectFrom('notification_messages').select(['template', 'channel']).where('user_id', '=', mgr.id).where('template', '=', 'service_desk.sla_escalated').execute();
    expect(sent.length).toBeGreaterThan(0);
    expect((await c.services.serviceRequests.sweepSla()).escalated).toBe(0);
    const timeline = (await clients.cs!.get(`/api/service-requests/${r.id}`)).json<ServiceRequest>().timeline;
    expect(timeline.at(-1)).toMatchObject({ action: 'escalate', fromState: 'submitted', toState: 'submitted' });
    const overdue = (await clients.cs!.get(`/api/service-requests/board?communityId=${A}&overdue=true`)).json<ServiceRequestPage>();
    expect(overdue.items.find((i) => i.id === r.id)?.sla).toMatchObject({ overdue: true });
    expect(overdue.items.every((i) => i.sla?.overdue)).toBe(true);
  });

  it('closes resolved requests the requester has not confirmed after 72 hours', async () => {
    const r = await submit();
    await ok('cs', r.id, { action: 'accept' });
    await ok('cs', r.id, { action: 'dispatch', technicianId: tech1Id });
    await ok('tech1', r.id, { action: 'start' });
    await ok('tech1', r.id, { action: 'resolve', result: '已修好' });
    await later(71 * 3_600_000);
    await c.services.serviceRequests.autoClose();
    expect((await clients.cs!.get(`/api/service-requests/${r.id}`)).json<ServiceRequest>().state).toBe('resolved');
    await later(2 * 3_600_000);
    expect(await c.services.serviceRequests.autoClose()).toBeGreaterThanOrEqual(1);
    const after = (await clients.cs!.get(`/api/service-requests/${r.id}`)).json<ServiceRequest>();
    expect(after.state).toBe('closed');
    expect(after.timeline.at(-1)).toMatchObject({ action: 'auto_close', fromState: 'resolved', toState: 'closed', actorName: 'service_desk.auto_close' });
  });

  it('dashboard and compliance figures', async () => {
    const dash = await clients.mgr!.get(`/api/service-desk/dashboard?communityId=${A}`);
    expect(dash.statusCode, dash.body).toBe(200);
    const d = dash.json<{ openByState: { state: string; count: number }[]; satisfaction: { average: number; count: number }; overdue: number }>();
    expect(d.satisfaction).toEqual({ average: 5, count: 1 });
    expect(d.openByState.find((s) => s.state === 'submitted')!.count).toBeGreaterThan(0);
    const comp = await clients.mgr!.get(`/api/service-desk/compliance?communityId=${A}&by=technician`);
    expect(comp.statusCode, comp.body).toBe(200);
    expect(comp.json<{ items: { name: string; resolved: number }[] }>().items.find((i) => i.name === '张师傅')?.resolved).toBeGreaterThanOrEqual(2);
  });
});
