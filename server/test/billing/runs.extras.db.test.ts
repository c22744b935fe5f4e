import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillDetail, BillRun, BillRunPreview, FeeRule, OneOffIssue, PrepayQuote, PrepayResult } from '@courtyard/contracts';
import { startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, runJobs, runsEstate, signedIn, sys } from './runs.fixtures.js';

/**
 * Vacant rooms at a reduced rate (as the bill's discount), parking fees per space in a run, and
 * one-off rules issued to their rooms and spaces. March 2026, clock on 1 April (China).
 *   101 occupied  building area 100.00        102 vacant  building area 89.50
 *   103 unsold
 * Property fee (area_building, monthly) 2.35/m²; vacant rooms pay 70 %.
 * Parking (fixed_per_space, monthly) 300.00 per space for the community, 500.00 for A-005:
 *   A-001 owned since 2020 · A-002 rented from 11 March · A-003 nobody · A-004 unavailable · A-005 owned
 */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof runsEstate>>;
let manager: Client;
let cashier: Client;
let parkingFee: string;
const spaces: string[] = [];
const r = (i: number) => e.rooms[i - 101]!;
const s = (i: number) => spaces[i - 1]!;
const balance = async (account: 'receivable' | 'revenue' | 'discounts', subjectId: string) =>
  (await c.services.billing.ledger.balances(c.database.db, e.communityId, account, [subjectId])).get(subjectId) ?? 0;

beforeAll(async () => {
  c = await startCourtyard();
  c.clock.set(new Date('2026-04-01T02:00:00.000Z'));
  e = await runsEstate(c, 'EXT', [{ number: '101', buildingArea: '100.00' }, { number: '102', buildingArea: '89.50', state: 'vacant' }, { number: '103', state: 'unsold', deliveredOn: null }]);
  manager = await signedIn(c, 'ext_mgr', 'property_manager', e.communityId);
  cashier = await signedIn(c, 'ext_cashier', 'cashier', e.communityId);
  const at = c.clock.now().toISOString();
  parkingFee = c.ids();
  await c.database.db
    .insertInto('fee_items')
    .values({ id: parkingFee, community_id: e.communityId, code: 'CWF', name: '车位管理费', category: 'property', rounding_unit: 'cent', rounding_mode: 'half_up', due_days: 15, late_fee_daily_ppm: null, late_fee_grace_days: 0, late_fee_cap: 'principal', late_fee_cap_cents: null, active: 1, created_at: at, updated_at: at })
    .execute();

  const property = await ok<FeeRule>(
    manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: e.fees.property, name: '物业费', kind: 'area_building', vacantRatePercent: '70', price: { effectiveOn: '2026-01-01', price: '2.35' } }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${property.id}/assignments`, { targetType: 'community', targetId: e.communityId, effectiveOn: '2020-01-01' }));

  const p = c.services.properties;
  const lot = await p.createParkingLot(sys, { communityId: e.communityId, code: 'A', name: '地下车库', kind: 'underground' });
  for (const [n, tenure] of [['001', 'owned'], ['002', 'rented'], ['003', 'owned'], ['004', 'owned'], ['005', 'owned']] as const) {
    spaces.push((await p.createParkingSpace(sys, { parkingLotId: lot.id, number: n, tenure, ...(n === '004' ? { state: 'unavailable' as const } : {}) })).id);
  }
  const person = async (name: string) => (await c.services.people.createPerson(sys, { communityId: e.communityId, kind: 'individual', name })).id;
  const li = await person('李四');
  const wang = await person('王五');
  await c.services.people.moveIn(sys, { personId: li, parkingSpaceId: s(1), relation: 'owner', movedInOn: '2020-01-01', primaryContact: true });
  await c.services.people.moveIn(sys, { personId: wang, parkingSpaceId: s(2), relation: 'tenant', movedInOn: '2026-03-11' });
  await c.services.people.moveIn(sys, { personId: li, parkingSpaceId: s(5), relation: 'owner', movedInOn: '2020-01-01' });
  await c.services.people.moveIn(sys, { personId: li, roomId: r(101), relation: 'owner', movedInOn: '2020-01-01', primaryContact: true });

  const parking = await ok<FeeRule>(
    manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: parkingFee, name: '车位管理费', kind: 'fixed_per_space', price: { effectiveOn: '2026-01-01', price: '300' } }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${parking.id}/assignments`, { targetType: 'community', targetId: e.communityId, effectiveOn: '2020-01-01' }));
  const large = await ok<FeeRule>(
    manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: parkingFee, name: '大车位管理费', kind: 'fixed_per_space', price: { effectiveOn: '2026-01-01', price: '500' } }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${large.id}/assignments`, { targetType: 'parking_space', targetId: s(5), effectiveOn: '2020-01-01' }));
});
afterAll(() => c.dispose());

describe('vacant rooms at a reduced rate (空置房按比例收费)', () => {
  const body = () => ({ communityId: e.communityId, periodLabel: '2026-03', feeItemIds: [e.fees.property] });
  let runId: string;

  it('issues the full charge with the reduction as the bill’s discount, explained, and totals what the bills ask for', async () => {
    // 101: 100.00 × 2.35 = 235.00. 102 vacant: 89.50 × 2.35 = 210.325 → charge 210.33; at 70 %
    // 147.2275 → 147.23 owed, so the discount is 210.33 − 147.23 = 63.10.
    const preview = await ok<BillRunPreview>(manager.post('/api/bill-runs/preview', body()));
    expect(preview).toMatchObject({ rooms: 3, spaces: 0, bills: 2, totalCents: 23500 + 14723 });
    runId = (await ok<BillRun>(manager.post('/api/bill-runs', body()), 201)).id;
    await runJobs(c);
    expect(await ok<BillRun>(manager.get(`/api/bill-runs/${runId}`))).toMatchObject({ status: 'done', billsInserted: 2, totalCents: 23500 + 14723 });

    const bill = await c.database.db.selectFrom('bills').selectAll().where('bill_run_id', '=', runId).where('room_id', '=', r(102)).executeTakeFirstOrThrow();
    expect([Number(bill.amount_cents), Number(bill.discount_cents), bill.status]).toEqual([21033, 6310, 'open']);
    const detail = await ok<BillDetail>(manager.get(`/api/bills/${bill.id}`));
    expect(detail).toMatchObject({ amountCents: 21033, discountCents: 6310, outstandingCents: 14723 });
    expect(detail.explanationLines).toContain('空置房按 70.00% 收费，优惠 30.00% −63.0975 元');
    const occupied = await c.database.db.selectFrom('bills').selectAll().where('bill_run_id', '=', runId).where('room_id', '=', r(101)).executeTakeFirstOrThrow();
    expect([Number(occupied.amount_cents), Number(occupied.discount_cents)]).toEqual([23500, 0]);
  });

  it('posts revenue at the full charge, the reduction to discounts and only what is owed to the receivable (balanced)', async () => {
    expect(await balance('receivable', r(102))).toBe(14723);
    expect(await balance('receivable', r(101))).toBe(23500);
    expect(await balance('revenue', e.fees.property)).toBe(-(23500 + 21033));
    expect(await balance('discounts', e.fees.property)).toBe(6310);
    expect(await c.services.billing.check.run()).toEqual([]);
  });

  it('cancelling the run reverses the discount too, and a rerun bills it again', async () => {
    await ok<BillRun>(manager.post(`/api/bill-runs/${runId}/cancel`));
    expect([await balance('receivable', r(102)), await balance('revenue', e.fees.property), await balance('discounts', e.fees.property)]).toEqual([0, 0, 0]);
    const again = (await ok<BillRun>(manager.post('/api/bill-runs', body()), 201)).id;
    await runJobs(c);
    expect(await ok<BillRun>(manager.get(`/api/bill-runs/${again}`))).toMatchObject({ status: 'done', billsInserted: 2 });
    expect(await balance('discounts', e.fees.property)).toBe(6310);
    expect(await c.services.billing.check.run()).toEqual([]);
  });

  it('the owner pays what is owed (147.23) and the bill is settled', async () => {
    const bill = await c.database.db.selectFrom('bills').select('id').where('room_id', '=', r(102)).where('status', '=', 'open').executeTakeFirstOrThrow();
    const res = await cashier.request('POST', '/api/payments', { communityId: e.communityId, roomId: r(102), amountCents: 14723, method: 'cash', billIds: [bill.id] }, { 'idempotency-key': 'vacant-102-pay' });
    expect(res.statusCode, res.body).toBe(201);
    const paid = await c.database.db.selectFrom('bills').selectAll().where('id', '=', bill.id).executeTakeFirstOrThrow();
    expect([paid.status, Number(paid.paid_cents)]).toEqual(['paid', 14723]);
    expect(await balance('receivable', r(102))).toBe(0);
    expect(await c.services.billing.check.run()).toEqual([]);
  });
});

describe('parking fees per space in a run (车位管理费)', () => {
  const body = () => ({ communityId: e.communityId, periodLabel: '2026-03', feeItemIds: [parkingFee] });

  it('previews the spaces the rules reach: held spaces billed (prorated from a mid-month start), the others skipped with why', async () => {
    const p = await ok<BillRunPreview>(manager.post('/api/bill-runs/preview', body()));
    // A-001 300.00; A-002 from 11 March: 300 × 21/31 = 203.2258 → 203.23; A-005 its own rule 500.00.
    expect(p).toMatchObject({ spaces: 5, bills: 3, totalCents: 30000 + 20323 + 50000 });
    expect(p.skippedCounts).toEqual({ no_occupant: 1, space_unavailable: 1 });
    expect(p.skipped).toEqual(
      expect.arrayContaining([
        { roomId: s(3), roomCode: 'A-003', feeItemId: parkingFee, reason: 'no_occupant', subjectType: 'parking_space' },
        { roomId: s(4), roomCode: 'A-004', feeItemId: parkingFee, reason: 'space_unavailable', subjectType: 'parking_space' },
      ]),
    );
  });

  it('issues one bill per space for its holder, posts each space’s receivable, and a rerun issues nothing new', async () => {
    const run = (await ok<BillRun>(manager.post('/api/bill-runs', body()), 201)).id;
    await runJobs(c);
    expect(await ok<BillRun>(manager.get(`/api/bill-runs/${run}`))).toMatchObject({ status: 'done', billsInserted: 3, totalCents: 100323 });
    const bills = await c.database.db.selectFrom('bills').selectAll().where('bill_run_id', '=', run).orderBy('amount_cents').execute();
    expect(bills.map((b) => [b.parking_space_id, b.room_id, Number(b.amount_cents), b.unique_key])).toEqual([
      [s(2), null, 20323, `run:${parkingFee}:${s(2)}:2026-03`],
      [s(1), null, 30000, `run:${parkingFee}:${s(1)}:2026-03`],
      [s(5), null, 50000, `run:${parkingFee}:${s(5)}:2026-03`],
    ]);
    expect(bills.every((b) => b.person_id !== null)).toBe(true);
    expect(await balance('receivable', s(2))).toBe(20323);
    const card = await ok<{ items: { amountCents: number }[] }>(manager.get(`/api/parking-spaces/${s(1)}/bills`));
    expect(card.items.map((b) => b.amountCents)).toEqual([30000]);

    const rerun = (await ok<BillRun>(manager.post('/api/bill-runs', body()), 201)).id;
    await runJobs(c);
    expect(await ok<BillRun>(manager.get(`/api/bill-runs/${rerun}`))).toMatchObject({ status: 'done', billsInserted: 0, billsSkippedExisting: 3 });
    const p = await ok<BillRunPreview>(manager.post('/api/bill-runs/preview', body()));
    expect(p.skippedCounts.already_billed).toBe(3);
    expect(await c.services.billing.check.run()).toEqual([]);
  });
});

describe('one-off rules (一次性收费)', () => {
  let rule: FeeRule;
  beforeAll(async () => {
    rule = await ok<FeeRule>(manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: e.fees.garbage, name: '装修垃圾清运费', kind: 'one_off', amount: '500.00' }), 201);
    await ok(manager.post(`/api/fee-rules/${rule.id}/assignments`, { targetType: 'room', targetId: r(101), effectiveOn: '2026-03-05' }));
    await ok(manager.post(`/api/fee-rules/${rule.id}/assignments`, { targetType: 'parking_space', targetId: s(1), effectiveOn: '2026-03-06' }));
    await ok(manager.post(`/api/fee-rules/${rule.id}/assignments`, { targetType: 'room', targetId: r(102), effectiveOn: '2026-05-01' }));
    await ok(manager.post(`/api/fee-rules/${rule.id}/assignments`, { targetType: 'room', targetId: r(103), effectiveOn: '2026-03-05' }));
  });

  it('a dry run counts what would be issued and why the others wait, writing nothing', async () => {
    const res = await ok<OneOffIssue>(manager.post(`/api/fee-rules/${rule.id}/issue`, { dryRun: true }));
    expect(res).toMatchObject({ dryRun: true, bills: 2, totalCents: 100000, total: '1000.00', skippedCounts: { rule_not_effective: 1, not_delivered: 1 } });
    expect(await c.database.db.selectFrom('bills').select('id').where('fee_item_id', '=', e.fees.garbage).execute()).toEqual([]);
  });

  it('issues the amount once to each assigned room and space, dated the day it arose, due after the fee item’s days', async () => {
    const res = await ok<OneOffIssue>(manager.post(`/api/fee-rules/${rule.id}/issue`, {}));
    expect(res).toMatchObject({ dryRun: false, bills: 2, totalCents: 100000 });
    const bills = await c.database.db.selectFrom('bills').selectAll().where('fee_item_id', '=', e.fees.garbage).orderBy('period_start_on').execute();
    expect(bills.map((b) => [b.room_id ?? b.parking_space_id, b.source, b.period_start_on, b.period_end_on, b.period_label, b.due_on, Number(b.amount_cents), b.bill_run_id])).toEqual([
      [r(101), 'one_off', '2026-03-05', '2026-03-05', '2026-03', '2026-04-16', 50000, null],
      [s(1), 'one_off', '2026-03-06', '2026-03-06', '2026-03', '2026-04-16', 50000, null],
    ]);
    expect(bills.every((b) => b.person_id !== null)).toBe(true);
    const detail = await ok<BillDetail>(manager.get(`/api/bills/${bills[0]!.id}`));
    expect(detail.explanationLines).toEqual(['垃圾费', '一次性收费 500.00 元 = 500.00 元']);
    expect(detail.ledger.map((t) => t.kind)).toEqual(['bill_issue']);
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', rule.id).execute();
    expect(audit.map((a) => a.action)).toContain('billing.rule.issue_one_off');
    expect(await c.services.billing.check.run()).toEqual([]);
  });

  it('issuing again bills only what is new', async () => {
    await ok(manager.post(`/api/fee-rules/${rule.id}/assignments`, { targetType: 'room', targetId: r(102), effectiveOn: '2026-03-20' }));
    const res = await ok<OneOffIssue>(manager.post(`/api/fee-rules/${rule.id}/issue`, {}));
    expect(res).toMatchObject({ bills: 1, skippedCounts: { already_billed: 2, rule_not_effective: 1, not_delivered: 1 } });
    expect((await c.database.db.selectFrom('bills').select('id').where('fee_item_id', '=', e.fees.garbage).execute()).length).toBe(3);
  });

  it('is not part of the periodic run, only for one-off rules, and for those who may issue bills', async () => {
    const p = await ok<BillRunPreview>(manager.post('/api/bill-runs/preview', { communityId: e.communityId, periodLabel: '2026-03', feeItemIds: [e.fees.garbage] }));
    expect(p).toMatchObject({ bills: 0, skippedCounts: {} });
    const property = (await ok<{ items: FeeRule[] }>(manager.get(`/api/fee-rules?communityId=${e.communityId}&feeItemId=${e.fees.property}`))).items[0]!;
    const refused = await manager.post(`/api/fee-rules/${property.id}/issue`, {});
    expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([409, 'billing.rule_not_one_off']);
    expect((await cashier.post(`/api/fee-rules/${rule.id}/issue`, { dryRun: true })).statusCode).toBe(403);
  });
});

describe('prepaying months ahead at the counter (预交优惠)', () => {
  let propertyRule: FeeRule;
  const pay = (body: Record<string, unknown>, key: string) => cashier.request('POST', '/api/prepay', { communityId: e.communityId, method: 'cash', ...body }, { 'idempotency-key': key });
  beforeAll(async () => {
    propertyRule = (await ok<{ items: FeeRule[] }>(manager.get(`/api/fee-rules?communityId=${e.communityId}&feeItemId=${e.fees.property}`))).items[0]!;
    await ok(manager.patch(`/api/fee-rules/${propertyRule.id}`, { prepay: [{ minMonths: 6, percent: '5' }, { minMonths: 12, percent: '10' }] }));
  });

  it('quotes the next twelve unbilled months with the best tier (10 %), each month discounted on its own bill', async () => {
    // March is billed; today is 1 April, so April 2026 … March 2027 at 235.00, 23.50 off each.
    const q = await ok<PrepayQuote>(cashier.post('/api/prepay/quote', { communityId: e.communityId, roomId: r(101), feeItemId: e.fees.property, months: 12 }));
    expect(q).toMatchObject({ months: 12, discountPercent: '10.00', amountCents: 282000, discountCents: 28200, totalCents: 253800, total: '2538.00' });
    expect(q.periods.map((p) => p.periodLabel)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(q.periods[0]).toEqual({ periodLabel: '2026-04', periodStartOn: '2026-04-01', periodEndOn: '2026-04-30', amountCents: 23500, discountCents: 2350, dueCents: 21150 });
  });

  it('refuses a total that no longer matches the quote, and takes nothing', async () => {
    const res = await pay({ roomId: r(101), feeItemId: e.fees.property, months: 12, amountCents: 282000 }, 'prepay-101-wrong');
    expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([409, 'billing.prepay_amount_changed']);
    expect(await c.database.db.selectFrom('bills').select('id').where('room_id', '=', r(101)).where('period_label', '=', '2026-04').execute()).toEqual([]);
  });

  it('issues the twelve bills with the discount, pays them with one receipt, posts it all balanced, and replays on the same key', async () => {
    const before = await balance('discounts', e.fees.property);
    const res = await pay({ roomId: r(101), feeItemId: e.fees.property, months: 12, amountCents: 253800 }, 'prepay-101-12m');
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json<PrepayResult>();
    expect(out.billIds.length).toBe(12);
    expect(out.receiptNumber).toMatch(/^EXT-2026-\d{6}$/);
    const bills = await c.database.db.selectFrom('bills').selectAll().where('id', 'in', out.billIds).execute();
    expect(bills.every((b) => b.status === 'paid' && Number(b.amount_cents) === 23500 && Number(b.discount_cents) === 2350 && Number(b.paid_cents) === 21150)).toBe(true);
    expect(bills.map((b) => b.unique_key)).toContain(`run:${e.fees.property}:${r(101)}:2026-04`);
    const detail = await ok<BillDetail>(manager.get(`/api/bills/${out.billIds[0]}`));
    expect(detail.explanationLines).toContain('预存12个月优惠 10.00% −23.50 元');
    expect(await balance('discounts', e.fees.property)).toBe(before + 28200);
    expect(await balance('receivable', r(101))).toBe(23500 + 50000); // still owed: March, and the one-off 装修垃圾清运费
    expect((await c.services.billing.ledger.balances(c.database.db, e.communityId, 'prepaid', [r(101)])).get(r(101)) ?? 0).toBe(0);
    expect(await c.services.billing.check.run()).toEqual([]);

    const again = await pay({ roomId: r(101), feeItemId: e.fees.property, months: 12, amountCents: 253800 }, 'prepay-101-12m');
    expect([again.statusCode, again.headers['idempotent-replayed'], again.body]).toEqual([201, 'true', res.body]);
    expect((await c.database.db.selectFrom('bills').select('id').where('room_id', '=', r(101)).where('fee_item_id', '=', e.fees.property).where('status', '<>', 'cancelled').execute()).length).toBe(13);
  });

  it('the run of a prepaid month skips it; a vacant room prepays from after its last bill with both discounts', async () => {
    const run = (await ok<BillRun>(manager.post('/api/bill-runs', { communityId: e.communityId, periodLabel: '2026-04', feeItemIds: [e.fees.property] }), 201)).id;
    await runJobs(c);
    expect(await ok<BillRun>(manager.get(`/api/bill-runs/${run}`))).toMatchObject({ status: 'done', billsInserted: 1, billsSkippedExisting: 1 });
    // 102 (vacant, 70 %) for six months from May: 210.325 × 70 % × 95 % = 139.866125 → 139.87; charge 210.33, discount 70.46.
    const q = await ok<PrepayQuote>(cashier.post('/api/prepay/quote', { communityId: e.communityId, roomId: r(102), feeItemId: e.fees.property, months: 6 }));
    expect(q).toMatchObject({ discountPercent: '5.00', totalCents: 6 * 13987 });
    expect(q.periods.map((p) => [p.periodLabel, p.amountCents, p.discountCents])[0]).toEqual(['2026-05', 21033, 7046]);
    const res = await pay({ roomId: r(102), feeItemId: e.fees.property, months: 6, amountCents: q.totalCents }, 'prepay-102-6m');
    expect(res.statusCode, res.body).toBe(201);
    const detail = await ok<BillDetail>(manager.get(`/api/bills/${res.json<PrepayResult>().billIds[0]}`));
    expect(detail.explanationLines).toEqual(expect.arrayContaining(['空置房按 70.00% 收费，优惠 30.00% −63.0975 元', '预存6个月优惠 5.00% −7.3613… 元']));
    expect(await c.services.billing.check.run()).toEqual([]);
  });

  it('prepays a parking space by its per-space rule (no tier: full price), and refuses fee items that cannot be known ahead', async () => {
    const q = await ok<PrepayQuote>(cashier.post('/api/prepay/quote', { communityId: e.communityId, parkingSpaceId: s(1), feeItemId: parkingFee, months: 3 }));
    expect(q).toMatchObject({ discountPercent: null, totalCents: 90000 });
    expect(q.periods.map((p) => p.periodLabel)).toEqual(['2026-04', '2026-05', '2026-06']);
    const water = await cashier.post('/api/prepay/quote', { communityId: e.communityId, roomId: r(101), feeItemId: e.fees.water, months: 3 });
    expect([water.statusCode, water.json<{ code: string }>().code]).toEqual([409, 'billing.prepay_unavailable']);
  });
});
