import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Renovation, Room, RoomDetail } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { estate, ok, problem, signedIn } from './fixtures.js';

let c: TestCourtyard;
let manager: Client;
let cashier: Client;
let communityId: string;
let rooms: Room[];
let next = 0;
/** A fresh room for each renovation, so one in progress never blocks another test's room. */
const freshRoom = () => rooms[next++]!;

const application = (roomId: string, extra: Record<string, unknown> = {}) => ({
  roomId,
  contractor: '安居装饰',
  contractorPhone: '13912345678',
  description: '厨房卫生间翻新',
  startsOn: '2026-03-10',
  endsOn: '2026-05-10',
  depositCents: 300000,
  ...extra,
});
const act = (id: string, action: string, body: unknown = {}) => manager.post(`/api/renovations/${id}/${action}`, body);
const room = (id: string) => ok<RoomDetail>(manager.get(`/api/rooms/${id}`));

/** Drives a new application into `state` through the API. */
async function renovationIn(state: Renovation['state']): Promise<Renovation> {
  const r = await ok<Renovation>(manager.post('/api/renovations', application(freshRoom().id)));
  const steps: Record<Renovation['state'], [string, unknown][]> = {
    submitted: [],
    approved: [['approve', {}]],
    rejected: [['reject', { note: '图纸不全' }]],
    cancelled: [['cancel', {}]],
    in_progress: [['approve', {}], ['start', undefined]],
    failed_inspection: [['approve', {}], ['start', undefined], ['inspect', { passed: false, note: '防水未做' }]],
    completed: [['approve', {}], ['start', undefined], ['inspect', { passed: true }]],
  };
  let current = r;
  for (const [action, body] of steps[state]) current = await ok<Renovation>(act(r.id, action, body));
  expect(current.state).toBe(state);
  return current;
}

beforeAll(async () => {
  c = await startCourtyard();
  communityId = await makeCommunity(c, 'RENO');
  await makeUser(c, { username: 'manager', role: 'property_manager' });
  await makeUser(c, { username: 'cashier', role: 'cashier', communityId });
  manager = await signedIn(c, 'manager');
  cashier = await signedIn(c, 'cashier');
  rooms = (await estate(manager, communityId, '1', '1', Array.from({ length: 40 }, (_, i) => String(101 + i)))).rooms;
});
afterAll(() => c.dispose());

describe('applications', () => {
  it('registers an application: submitted, deposit due, contractor phone encrypted and masked for callers who may not reveal', async () => {
    const target = freshRoom();
    const r = await ok<Renovation>(manager.post('/api/renovations', application(target.id)));
    expect(r).toMatchObject({ roomId: target.id, roomCode: target.code, communityId, state: 'submitted', depositCents: 300000, depositState: 'due', contractorPhone: '13912345678', decidedAt: null });
    expect((await ok<Renovation>(cashier.get(`/api/renovations/${r.id}`))).contractorPhone).toBe('139****5678');
    const stored = await c.database.db.selectFrom('renovations').select('contractor_phone_enc').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(stored.contractor_phone_enc).not.toContain('13912345678');
    const free = await ok<Renovation>(manager.post('/api/renovations', application(freshRoom().id, { depositCents: 0, contractorPhone: null })));
    expect(free).toMatchObject({ depositState: 'none', contractorPhone: null });
  });

  it('validates the period, the room and the applicant, naming the field', async () => {
    expect(await problem(manager.post('/api/renovations', application(rooms[39]!.id, { endsOn: '2026-03-09' })))).toMatchObject({ status: 400, fields: ['/body/endsOn'] });
    expect(await problem(manager.post('/api/renovations', application('01a20fba-bc25-7894-92fa-ed59faf81c69')))).toMatchObject({ status: 400, fields: ['/body/roomId'] });
    expect(await problem(manager.post('/api/renovations', application(rooms[39]!.id, { applicantPersonId: '01a20fba-bc25-7894-92fa-ed59faf81c69' })))).toMatchObject({
      status: 400,
      fields: ['/body/applicantPersonId'],
    });
    expect(await problem(manager.post('/api/renovations', application(rooms[39]!.id, { depositCents: -1 })))).toMatchObject({ status: 400, fields: ['/body/depositCents'] });
    expect(await problem(cashier.post('/api/renovations', application(rooms[39]!.id)))).toMatchObject({ status: 403, code: 'auth.forbidden' });
  });

  it('lists applications newest first with keyset pages and filters', async () => {
    const target = rooms[38]!;
    const first = await ok<Renovation>(manager.post('/api/renovations', application(target.id)));
    c.clock.advance(1000);
    const second = await ok<Renovation>(manager.post('/api/renovations', application(target.id)));
    await ok(act(second.id, 'approve'));
    const page1 = await ok<{ items: Renovation[]; nextCursor: string | null }>(manager.get(`/api/renovations?roomId=${target.id}&limit=1`));
    expect(page1.items.map((r) => r.id)).toEqual([second.id]);
    const page2 = await ok<{ items: Renovation[]; nextCursor: string | null }>(manager.get(`/api/renovations?roomId=${target.id}&limit=1&cursor=${page1.nextCursor}`));
    expect(page2).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });
    expect((await ok<{ items: Renovation[] }>(manager.get(`/api/renovations?roomId=${target.id}&state=approved`))).items.map((r) => r.id)).toEqual([second.id]);
    expect((await ok<{ items: Renovation[] }>(cashier.get(`/api/renovations?communityId=${communityId}&roomId=${target.id}`))).items[0]!.contractorPhone).toBe('139****5678');
  });
});

describe('the state machine', () => {
  it('runs submitted → approved → in_progress → failed_inspection → completed; the room is renovating and tagged meanwhile, then returns to its state', async () => {
    const target = freshRoom();
    await ok(manager.patch(`/api/rooms/${target.id}`, { state: 'occupied' }));
    const r = await ok<Renovation>(manager.post('/api/renovations', application(target.id)));
    const approved = await ok<Renovation>(act(r.id, 'approve', { note: '同意' }));
    expect(approved).toMatchObject({ state: 'approved', decisionNote: '同意', decidedAt: c.clock.now().toISOString() });
    expect((await ok<Renovation>(act(r.id, 'start'))).state).toBe('in_progress');
    expect(await room(target.id)).toMatchObject({ state: 'renovating', tags: [expect.objectContaining({ code: 'renovating', name: '装修中' })] });
    expect(await problem(manager.patch(`/api/rooms/${target.id}`, { state: 'vacant' }))).toMatchObject({ status: 409, code: 'properties.room_renovating' });
    expect(await problem(act(r.id, 'inspect', { passed: false }))).toMatchObject({ status: 400, fields: ['/body/note'] });
    const failed = await ok<Renovation>(act(r.id, 'inspect', { passed: false, note: '防水未做' }));
    expect(failed).toMatchObject({ state: 'failed_inspection', inspectionNote: '防水未做' });
    expect((await room(target.id)).state).toBe('renovating');
    const done = await ok<Renovation>(act(r.id, 'inspect', { passed: true, note: '复验合格' }));
    expect(done).toMatchObject({ state: 'completed', inspectionNote: '复验合格' });
    expect(await room(target.id)).toMatchObject({ state: 'occupied', tags: [] });
    const events = await c.database.db.selectFrom('outbox_events').select('type').where('payload_json', 'like', `%${r.id}%`).orderBy('occurred_at').orderBy('id').execute();
    // one event per step (all at the same instant of the test clock, so compared as a set)
    expect(events.map((e) => e.type).sort()).toEqual(
      ['properties.renovation.submitted', 'properties.renovation.approved', 'properties.renovation.started', 'properties.renovation.failed_inspection', 'properties.renovation.completed'].sort(),
    );
    const audit = await c.services.audit.list(c.database.db, { limit: 3 });
    expect(audit.items.map((e) => e.action)).toContain('properties.renovation.inspect');
  });

  it('keeps an occupancy change made during the works for when they end', async () => {
    const r = await renovationIn('in_progress');
    await c.database.db.transaction().execute((tx) => c.services.properties.setRoomState(tx, systemContext('people'), r.roomId, 'rented'));
    expect((await room(r.roomId)).state).toBe('renovating');
    await ok(act(r.id, 'inspect', { passed: true }));
    expect((await room(r.roomId)).state).toBe('rented');
  });

  it('refuses to start a second renovation of a room under works', async () => {
    const running = await renovationIn('in_progress');
    const other = await ok<Renovation>(manager.post('/api/renovations', application(running.roomId)));
    await ok(act(other.id, 'approve'));
    expect(await problem(act(other.id, 'start'))).toMatchObject({ status: 409, code: 'properties.renovation.room_busy' });
  });

  it('rejects (with a note) and cancels; a deposit never collected is then no longer due', async () => {
    const r = await ok<Renovation>(manager.post('/api/renovations', application(freshRoom().id)));
    expect(await problem(act(r.id, 'reject', {}))).toMatchObject({ status: 400, fields: ['/body/note'] });
    expect(await ok<Renovation>(act(r.id, 'reject', { note: '图纸不全' }))).toMatchObject({ state: 'rejected', decisionNote: '图纸不全', depositState: 'none' });
    const approved = await renovationIn('approved');
    expect(await ok<Renovation>(act(approved.id, 'cancel', { note: '业主撤回' }))).toMatchObject({ state: 'cancelled', depositState: 'none' });
  });

  const ACTIONS: [string, unknown][] = [
    ['approve', {}],
    ['reject', { note: 'x' }],
    ['start', undefined],
    ['inspect', { passed: true }],
    ['cancel', {}],
  ];
  const ALLOWED: Record<Renovation['state'], string[]> = {
    submitted: ['approve', 'reject', 'cancel'],
    approved: ['start', 'cancel'],
    rejected: [],
    in_progress: ['inspect'],
    failed_inspection: ['inspect'],
    completed: [],
    cancelled: [],
  };
  for (const state of Object.keys(ALLOWED) as Renovation['state'][]) {
    const illegal = ACTIONS.filter(([a]) => !ALLOWED[state].includes(a)).map(([a]) => a);
    it(`from ${state} refuses ${illegal.join(', ') || 'nothing'} with 409 properties.renovation.illegal_transition, changing nothing`, async () => {
      const r = await renovationIn(state);
      for (const [action, body] of ACTIONS.filter(([a]) => illegal.includes(a))) {
        expect([action, await problem(act(r.id, action, body))]).toEqual([action, { status: 409, code: 'properties.renovation.illegal_transition', fields: ['/params/id'] }]);
      }
      expect((await ok<Renovation>(manager.get(`/api/renovations/${r.id}`))).state).toBe(state);
    });
  }
});

describe('the deposit record', () => {
  it('goes due → collected → released, released only after the renovation passed inspection', async () => {
    const r = await renovationIn('in_progress');
    expect(await problem(act(r.id, 'deposit', { state: 'released' }))).toMatchObject({ status: 409, code: 'properties.renovation.deposit_illegal_transition' });
    expect((await ok<Renovation>(act(r.id, 'deposit', { state: 'collected' }))).depositState).toBe('collected');
    expect(await problem(act(r.id, 'deposit', { state: 'collected' }))).toMatchObject({ status: 409, fields: ['/body/state'] });
    expect(await problem(act(r.id, 'deposit', { state: 'released' }))).toMatchObject({ status: 409 });
    await ok(act(r.id, 'inspect', { passed: true }));
    expect((await ok<Renovation>(act(r.id, 'deposit', { state: 'released' }))).depositState).toBe('released');
    expect(await problem(act(r.id, 'deposit', { state: 'forfeited' }))).toMatchObject({ status: 409 });
    const audit = await c.services.audit.list(c.database.db, { limit: 1 });
    expect(audit.items[0]).toMatchObject({ action: 'properties.renovation.deposit', after: { depositState: 'released', depositCents: 300000 } });
  });

  it('can be forfeited once collected, and never moves without a deposit', async () => {
    const r = await renovationIn('failed_inspection');
    expect(await problem(act(r.id, 'deposit', { state: 'forfeited' }))).toMatchObject({ status: 409 });
    await ok(act(r.id, 'deposit', { state: 'collected' }));
    expect((await ok<Renovation>(act(r.id, 'deposit', { state: 'forfeited' }))).depositState).toBe('forfeited');
    const none = await ok<Renovation>(manager.post('/api/renovations', application(freshRoom().id, { depositCents: 0 })));
    expect(await problem(act(none.id, 'deposit', { state: 'collected' }))).toMatchObject({ status: 409 });
  });
});
