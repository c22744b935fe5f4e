import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgeingReport, DunningRule, DunningRunResult } from '@courtyard/contracts';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { payOk, paymentsEstate, signIn, sys } from './payments.fixtures.js';

/** Dunning (催缴): age buckets, reminder rules sent once per rule and bill, the 欠费 tag kept in sync. */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
let owner: Client;
let ownerUserId: string;
let ownerPersonId: string;

// The harness clock starts at 2026-03-02 08:00 UTC = 2026-03-02 in China.
async function bill(roomId: string, dueOn: string, amountCents: number, personId: string | null = null): Promise<string> {
  const r = await c.database.db.transaction().execute((tx) =>
    c.services.billing.bills.issueOne(tx, sys, {
      communityId: e.communityId,
      roomId,
      personId,
      feeItemId: e.feeItems.property,
      periodStartOn: `${dueOn.slice(0, 7)}-01`,
      periodEndOn: `${dueOn.slice(0, 7)}-28`,
      periodLabel: dueOn.slice(0, 7),
      dueOn,
      amountCents,
      explanation: { v: 1, rule: 'fixed', cents: amountCents },
      uniqueKey: `test:${crypto.randomUUID()}`,
    }),
  );
  return r.id;
}

const tagsOf = async (type: 'room' | 'person', id: string) => ((await c.services.properties.tagsOf(c.database.db, type, [id])).get(id) ?? []).map((t) => t.code);

beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'DUN', 4);
  ownerUserId = await makeUser(c, { username: 'owner_dun', kind: 'owner', role: 'resident', communityId: e.communityId });
  const person = await e.manager.post('/api/persons', { communityId: e.communityId, kind: 'individual', name: '赵业主', userId: ownerUserId });
  ownerPersonId = person.json<{ id: string }>().id;
  await e.manager.post('/api/occupancies', { personId: ownerPersonId, roomId: e.rooms[0]!, relation: 'owner', movedInOn: '2024-01-01' });
  owner = await signIn(c, 'owner_dun');
  const [r0, r1, r2] = e.rooms as [string, string, string];
  // Room 0: 10 days overdue (0–30) and 40 days (31–90); room 1: 100 (91–180), 200 (181–365), 400 (>365);
  // room 2: due today (not overdue) and one already paid.
  await bill(r0, '2026-02-20', 10_000, ownerPersonId);
  await bill(r0, '2026-01-21', 20_000, ownerPersonId);
  await bill(r1, '2025-11-22', 30_000);
  await bill(r1, '2025-08-14', 40_000);
  await bill(r1, '2025-01-26', 50_000);
  await bill(r2, '2026-03-02', 60_000);
  const paid = await bill(r2, '2025-12-01', 5_000);
  await payOk(e.cashier, { communityId: e.communityId, roomId: r2, amountCents: 5_000, method: 'cash', billIds: [paid] });
});
afterAll(() => c.dispose());

describe('overdue ageing (账龄)', () => {
  it('buckets open overdue bills by days past due, with the rooms that owe, largest first', async () => {
    const res = await e.cashier.get(`/api/dunning/ageing?communityId=${e.communityId}`);
    expect(res.statusCode).toBe(200);
    const a = res.json<AgeingReport>();
    expect(a.asOn).toBe('2026-03-02');
    expect(a.buckets).toEqual([
      { bucket: '0-30', bills: 1, subjects: 1, outstandingCents: 10_000 },
      { bucket: '31-90', bills: 1, subjects: 1, outstandingCents: 20_000 },
      { bucket: '91-180', bills: 1, subjects: 1, outstandingCents: 30_000 },
      { bucket: '181-365', bills: 1, subjects: 1, outstandingCents: 40_000 },
      { bucket: '365+', bills: 1, subjects: 1, outstandingCents: 50_000 },
    ]);
    expect(a.totalCents).toBe(150_000);
    expect(a.subjects.map((s) => [s.label, s.bills, s.outstandingCents, s.oldestDueOn, s.bucket])).toEqual([
      ['1-1-102', 3, 120_000, '2025-01-26', '365+'],
      ['1-1-101', 2, 30_000, '2026-01-21', '31-90'],
    ]);
    const old = (await e.cashier.get(`/api/dunning/ageing?communityId=${e.communityId}&bucket=365%2B`)).json<AgeingReport>();
    expect(old.subjects.map((s) => s.label)).toEqual(['1-1-102']);
  });
});

describe('reminder letter (催缴通知书)', () => {
  it('prints a room’s overdue bills with the total in figures and capitals; nothing overdue, nothing to print', async () => {
    const res = await e.manager.get(`/api/dunning/letters/${e.rooms[1]!}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const dir = path.resolve(import.meta.dirname, '../artifacts');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `dunning-letter-${c.database.dialect}.pdf`);
    fs.writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', file, file.replace(/\.pdf$/, '')]);
    expect(text).toContain('Courtyard 物业');
    expect(text).toMatch(/催\s*缴\s*通\s*知\s*书/);
    expect(text).toContain('1-1-102');
    expect(text).toMatch(/物业费\s+2025-01\s+2025-01-26\s+500\.00/);
    expect(text).toContain('¥1,200.00');
    expect(text).toContain('人民币壹仟贰佰元整');
    expect((await e.manager.get(`/api/dunning/letters/${e.rooms[2]!}`)).statusCode).toBe(404);
    expect((await e.cashier.get(`/api/dunning/letters/${e.rooms[1]!}`)).statusCode).toBe(403);
  });
});

describe('reminder rules (催缴规则) and the daily run', () => {
  it('are managed by holders of billing.dunning.manage only', async () => {
    expect((await e.cashier.post('/api/dunning/rules', { communityId: e.communityId, name: '逾期7天', daysOverdue: 7, channels: ['in_app'] })).statusCode).toBe(403);
    for (const [days, channels] of [[7, ['in_app']], [30, ['in_app', 'sms']], [60, ['in_app', 'email']]] as const) {
      const res = await e.manager.post('/api/dunning/rules', { communityId: e.communityId, name: `逾期${days}天`, daysOverdue: days, channels });
      expect(res.statusCode).toBe(201);
    }
    const dup = await e.manager.post('/api/dunning/rules', { communityId: e.communityId, name: '重复', daysOverdue: 30, channels: ['in_app'] });
    expect([dup.statusCode, dup.json<{ code: string }>().code]).toEqual([409, 'billing.dunning_rule_taken']);
    const rules = (await e.manager.get(`/api/dunning/rules?communityId=${e.communityId}`)).json<{ items: DunningRule[] }>().items;
    expect(rules.map((r) => [r.daysOverdue, r.channels, r.active])).toEqual([
      [7, ['in_app'], true],
      [30, ['in_app', 'sms'], true],
      [60, ['in_app', 'email'], true],
    ]);
  });

  it('reminds each room once per rule and bill, through notifications, and tags rooms and payers 欠费', async () => {
    const res = await e.manager.post('/api/dunning/run', { communityId: e.communityId });
    expect(res.statusCode).toBe(200);
    const run = res.json<DunningRunResult>();
    // Rule 7: room 0 (2 bills) and room 1 (3); rule 30: room 0 (the 40-day bill) and room 1 (3); rule 60: room 1 (3).
    expect(run).toMatchObject({ asOn: '2026-03-02', reminders: 5, bills: 12 });
    // Only room 0's bills carry a payer with an account: in-app for rules 7 and 30.
    const inbox = await c.database.db.selectFrom('notification_messages').select(['template', 'channel']).where('user_id', '=', ownerUserId).execute();
    expect(inbox.filter((m) => m.template === 'billing.dunning_reminder' && m.channel === 'in_app')).toHaveLength(2);
    const log = await c.database.db.selectFrom('dunning_log').select(['rule_id', 'bill_id']).execute();
    expect(log).toHaveLength(12);

    expect(await tagsOf('room', e.rooms[0]!)).toContain('arrears');
    expect(await tagsOf('room', e.rooms[1]!)).toContain('arrears');
    expect(await tagsOf('room', e.rooms[2]!)).not.toContain('arrears');
    expect(await tagsOf('person', ownerPersonId)).toContain('arrears');

    // Running again sends nothing new for the same bills.
    const second = (await e.manager.post('/api/dunning/run', { communityId: e.communityId })).json<DunningRunResult>();
    expect(second).toMatchObject({ reminders: 0, bills: 0, tagged: 0, untagged: 0 });
    expect(await c.database.db.selectFrom('dunning_log').select('id').execute()).toHaveLength(12);
  });

  it('a bill paid up loses the 欠费 tag of its room and payer at the next run; a later bill gets its own reminder', async () => {
    await payOk(e.cashier, { communityId: e.communityId, roomId: e.rooms[0]!, amountCents: 30_000, method: 'cash' });
    const run = (await e.manager.post('/api/dunning/run', { communityId: e.communityId })).json<DunningRunResult>();
    expect(run).toMatchObject({ reminders: 0, untagged: 2 });
    expect(await tagsOf('room', e.rooms[0]!)).not.toContain('arrears');
    expect(await tagsOf('person', ownerPersonId)).not.toContain('arrears');
    // Eight days later the bill that was due today is 8 days overdue: rule 7 reminds room 2.
    c.clock.set('2026-03-10T02:00:00.000Z');
    // Sessions idle out over eight days: sign in again.
    e.manager = await signIn(c, 'manager_dun');
    owner = await signIn(c, 'owner_dun');
    const later = (await e.manager.post('/api/dunning/run', { communityId: e.communityId })).json<DunningRunResult>();
    expect(later).toMatchObject({ asOn: '2026-03-10', reminders: 1, bills: 1, tagged: 1 });
    const entries = (await e.manager.get(`/api/dunning/log?communityId=${e.communityId}&subjectId=${e.rooms[2]!}`)).json<{ items: { outstandingCents: number; sentOn: string }[] }>().items;
    expect(entries).toEqual([expect.objectContaining({ outstandingCents: 60_000, sentOn: '2026-03-10' })]);
    expect((await owner.get(`/api/dunning/log?communityId=${e.communityId}`)).statusCode).toBe(403);
  });

  it('a switched-off rule sends nothing', async () => {
    const rules = (await e.manager.get(`/api/dunning/rules?communityId=${e.communityId}`)).json<{ items: DunningRule[] }>().items;
    for (const r of rules) expect((await e.manager.request('PATCH', `/api/dunning/rules/${r.id}`, { active: false })).statusCode).toBe(200);
    await bill(e.rooms[3]!, '2026-01-01', 1_000);
    const run = (await e.manager.post('/api/dunning/run', { communityId: e.communityId })).json<DunningRunResult>();
    expect(run).toMatchObject({ reminders: 0, tagged: 1 });
  });
});
