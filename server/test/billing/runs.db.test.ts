import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillRun, BillRunPreview, FeeRule, Meter } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, runJobs, runsEstate, signedIn, sys } from './runs.fixtures.js';

/**
 * A small community for March 2026 (31 days), every figure worked out by hand:
 *   101 occupied, delivered 2020       inner 80.00  area 100.00
 *   102 moved in on the 17th           inner 80.00  area  89.50
 *   103 delivered on the 10th          inner 80.00  area 120.33
 *   104 vacant (property fee at 50 %)  inner 80.00  area  75.25
 *   105 unsold                         inner 80.00  area 100.00
 *   106 no inner area                  inner —      area  66.66
 * Property fee (area_inner, monthly): 2.35/m² until 15 March, 2.80/m² from 16 March.
 * Water (metered, yearly tiers 0–50 @ 3.00, above @ 4.00). Shared electricity: a building meter's
 * March usage × 1.00 apportioned by building area. Garbage: 10.00 per room, assigned per room.
 */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof runsEstate>>;
let manager: Client;
const r = (i: number) => e.rooms[i - 101]!;

async function readings(meterId: string, list: [string, string, boolean?][]) {
  const res = await c.services.billing.readings.enterBatch(sys, { readings: list.map(([readOn, reading, rolledOver]) => ({ meterId, readOn, reading, ...(rolledOver ? { rolledOver } : {}) })) });
  return res;
}

beforeAll(async () => {
  c = await startCourtyard();
  c.clock.set(new Date('2026-04-01T02:00:00.000Z'));
  e = await runsEstate(c, 'RUN', [
    { number: '101', buildingArea: '100.00' },
    { number: '102', buildingArea: '89.50' },
    { number: '103', buildingArea: '120.33', deliveredOn: '2026-03-10' },
    { number: '104', buildingArea: '95.25', state: 'vacant' },
    { number: '105', state: 'unsold', deliveredOn: null },
    { number: '106', buildingArea: '66.66', innerArea: null },
  ]);
  manager = await signedIn(c, 'run_mgr', 'property_manager', e.communityId);
  const person = await c.services.people.createPerson(sys, { communityId: e.communityId, kind: 'individual', name: '张三' });
  await c.services.people.moveIn(sys, { personId: person.id, roomId: r(102), relation: 'owner', movedInOn: '2026-03-17', primaryContact: true });

  const property = await ok<FeeRule>(
    manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: e.fees.property, name: '物业费', kind: 'area_inner', vacantRatePercent: '50', price: { effectiveOn: '2026-01-01', price: '2.35' } }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${property.id}/prices`, { effectiveOn: '2026-03-16', price: '2.80' }));
  await ok(manager.post(`/api/fee-rules/${property.id}/assignments`, { targetType: 'community', targetId: e.communityId, effectiveOn: '2020-01-01' }));

  const water = await ok<FeeRule>(
    manager.post('/api/fee-rules', {
      communityId: e.communityId,
      feeItemId: e.fees.water,
      name: '阶梯水费',
      kind: 'metered',
      meterKind: 'water',
      tierScope: 'year',
      price: { effectiveOn: '2026-01-01', tiers: [{ upTo: '50', price: '3.00' }, { upTo: null, price: '4.00' }] },
    }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${water.id}/assignments`, { targetType: 'building', targetId: e.buildingId, effectiveOn: '2020-01-01' }));

  const shared = await ok<Meter>(manager.post('/api/meters', { communityId: e.communityId, kind: 'electricity', buildingId: e.buildingId, serialNumber: 'GT-1' }), 201);
  const apportioned = await ok<FeeRule>(
    manager.post('/api/fee-rules', {
      communityId: e.communityId,
      feeItemId: e.fees.shared,
      name: '公摊电费',
      kind: 'apportion',
      apportionBasis: 'building_area',
      sharedMeterId: shared.id,
      price: { effectiveOn: '2026-01-01', price: '1.00' },
    }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${apportioned.id}/assignments`, { targetType: 'community', targetId: e.communityId, effectiveOn: '2020-01-01' }));
  await readings(shared.id, [
    ['2026-02-28', '1000'],
    ['2026-03-31', '1100'],
  ]);

  const garbage = await ok<FeeRule>(
    manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: e.fees.garbage, name: '垃圾费', kind: 'fixed_per_room', price: { effectiveOn: '2026-01-01', price: '10' } }),
    201,
  );
  await ok(manager.post(`/api/fee-rules/${garbage.id}/assignments`, { targetType: 'room', targetId: r(101), effectiveOn: '2026-01-01' }));
  await ok(manager.post(`/api/fee-rules/${garbage.id}/assignments`, { targetType: 'room', targetId: r(102), effectiveOn: '2026-04-01' }));
  await ok(manager.post(`/api/fee-rules/${garbage.id}/assignments`, { targetType: 'room', targetId: r(103), effectiveOn: '2026-03-20' }));

  const meter = async (room: number) => ok<Meter>(manager.post('/api/meters', { communityId: e.communityId, kind: 'water', roomId: r(room), serialNumber: `W-${room}` }), 201);
  const w101 = await meter(101);
  await meter(102);
  const w103 = await meter(103);
  const w104 = await meter(104);
  // 101: 20 in January, 20 in February (prior 40 this year), 30 in March; December 2025 is last year.
  await readings(w101.id, [
    ['2025-12-31', '0'],
    ['2026-01-31', '20'],
    ['2026-02-28', '40'],
    ['2026-03-31', '70'],
  ]);
  // 103: no usage three readings running → the last one waits for review.
  await readings(w103.id, [
    ['2026-01-31', '50'],
    ['2026-02-28', '50'],
    ['2026-03-15', '50'],
    ['2026-03-31', '50'],
  ]);
  await readings(w104.id, [
    ['2026-02-28', '10'],
    ['2026-03-31', '15'],
  ]);
});
afterAll(() => c.dispose());

const body = () => ({ communityId: e.communityId, periodLabel: '2026-03', feeItemIds: [e.fees.property, e.fees.water, e.fees.shared, e.fees.garbage] });

describe('bill runs (批量出账)', () => {
  it('previews counts and totals per fee item and lists the rooms that will be skipped, with the reason', async () => {
    const p = await ok<BillRunPreview>(manager.post('/api/bill-runs/preview', body()));
    expect(p).toMatchObject({ periodStartOn: '2026-03-01', periodEndOn: '2026-03-31', rooms: 6, bills: 13 });
    const byItem = Object.fromEntries(p.totals.map((t) => [t.feeItemId, [t.bills, t.amountCents]]));
    // Property: 101 80×(2.35×15+2.80×16)/31 = 206.5806 → 206.58; 102 from the 17th 80×2.80×15/31 = 108.387 → 108.39;
    // 103 from the 10th 80×(2.35×6+2.80×16)/31 = 152.00; 104 vacant: 206.5806 × 50 % = 103.2903 → 103.29.
    expect(byItem[e.fees.property]).toEqual([4, 20658 + 10839 + 15200 + 10329]);
    // Water: 101 prior 40 this year, 30 more → 10 @ 3.00 + 20 @ 4.00 = 110.00; 104: 5 @ 3.00 = 15.00.
    expect(byItem[e.fees.water]).toEqual([2, 11000 + 1500]);
    // Shared meter: 100 units × 1.00 = 100.00, over the five delivered rooms, summing exactly.
    expect(byItem[e.fees.shared]).toEqual([5, 10000]);
    // Garbage: 101 the whole month; 103 from the rule's start on the 20th: 10 × 12/31 = 3.87.
    expect(byItem[e.fees.garbage]).toEqual([2, 1000 + 387]);
    expect(p.skippedCounts).toEqual({ not_delivered: 3, no_reading: 2, unreviewed_reading: 1, no_area: 1, rule_not_effective: 1 });
    const why = (room: number) => p.skipped.filter((s) => s.roomId === r(room)).map((s) => s.reason).sort();
    expect(why(105)).toEqual(['not_delivered', 'not_delivered', 'not_delivered']);
    expect(why(106)).toEqual(['no_area', 'no_reading']);
    expect(why(103)).toEqual(['unreviewed_reading']);
    expect(why(102)).toEqual(['no_reading', 'rule_not_effective']);
    // A preview writes nothing.
    expect(await c.database.db.selectFrom('bills').select('id').execute()).toEqual([]);
  });

  let runId: string;
  it('runs as a job with progress, issues one bill per room and fee item with the engine’s explanation, and posts the receivables', async () => {
    const started = await ok<BillRun>(manager.post('/api/bill-runs', body()), 201);
    expect(started).toMatchObject({ status: 'running', roomsTotal: 6, roomsDone: 0, jobId: expect.any(String) as string });
    runId = started.id;
    await runJobs(c);
    const run = await ok<BillRun>(manager.get(`/api/bill-runs/${runId}`));
    expect(run).toMatchObject({ status: 'done', roomsDone: 6, billsInserted: 13, billsSkippedExisting: 0, totalCents: 20658 + 10839 + 15200 + 10329 + 12500 + 10000 + 1387, note: null });
    const job = await c.services.jobs.get(c.database.db, run.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', progressDone: 6, progressTotal: 6 });

    const bills = await c.database.db.selectFrom('bills').selectAll().where('bill_run_id', '=', runId).execute();
    expect(bills.length).toBe(13);
    const shares = bills.filter((b) => b.fee_item_id === e.fees.shared);
    expect(shares.reduce((s, b) => s + Number(b.amount_cents), 0)).toBe(10000);
    const p102 = bills.find((b) => b.fee_item_id === e.fees.property && b.room_id === r(102))!;
    const explanation = JSON.parse(p102.explanation_json) as { rule: string; cents: number; inputs: { proration: { startLimit: string; activeDays: number; periodDays: number } } };
    expect(explanation).toMatchObject({ rule: 'area', cents: 10839, inputs: { proration: { startLimit: 'move_in', activeDays: 15, periodDays: 31 } } });
    expect(p102).toMatchObject({ period_label: '2026-03', due_on: '2026-03-16', person_id: expect.any(String) as string, unique_key: `run:${e.fees.property}:${r(102)}:2026-03` });
    const vacant = JSON.parse(bills.find((b) => b.fee_item_id === e.fees.property && b.room_id === r(104))!.explanation_json) as { discounts: { source: string }[] };
    expect(vacant.discounts.map((d) => d.source)).toEqual(['vacancy']);
    const receivable = await c.services.billing.ledger.balances(c.database.db, e.communityId, 'receivable', [r(101)]);
    expect(receivable.get(r(101))).toBe(20658 + 11000 + bills.find((b) => b.fee_item_id === e.fees.shared && b.room_id === r(101))!.amount_cents + 1000);
    expect(await c.services.billing.ledger.check(c.database.db)).toEqual([]);
  });

  it('a rerun of the same period creates nothing and says so', async () => {
    const again = await ok<BillRun>(manager.post('/api/bill-runs', body()), 201);
    await runJobs(c);
    const run = await ok<BillRun>(manager.get(`/api/bill-runs/${again.id}`));
    expect(run).toMatchObject({ status: 'done', billsInserted: 0, billsSkippedExisting: 13, totalCents: 0 });
    expect(run.note).toContain('13');
    expect((await c.database.db.selectFrom('bills').select('id').execute()).length).toBe(13);
    const p = await ok<BillRunPreview>(manager.post('/api/bill-runs/preview', body()));
    expect(p).toMatchObject({ bills: 0 });
    expect(p.skippedCounts.already_billed).toBe(13);
  });

  it('cancels a run while nothing is paid, and refuses once a bill of the run is paid', async () => {
    const cancelled = await ok<BillRun>(manager.post(`/api/bill-runs/${runId}/cancel`));
    expect(cancelled.status).toBe('cancelled');
    expect(await c.database.db.selectFrom('bills').select('id').where('bill_run_id', '=', runId).where('status', '<>', 'cancelled').execute()).toEqual([]);
    expect((await c.services.billing.ledger.balances(c.database.db, e.communityId, 'receivable', [r(101)])).get(r(101))).toBe(0);
    expect((await manager.post(`/api/bill-runs/${runId}/cancel`)).json<{ code: string }>().code).toBe('billing.run_not_cancellable');

    // The cancelled bills keep their history under a moved key; the period can be billed again.
    const moved = await c.database.db.selectFrom('bills').select(['id', 'unique_key']).where('bill_run_id', '=', runId).execute();
    for (const b of moved) expect(b.unique_key).toMatch(new RegExp(`^run:.+:2026-03:cancelled:${b.id}$`));
    const rerun = await ok<BillRun>(manager.post('/api/bill-runs', body()), 201);
    await runJobs(c);
    expect(await ok<BillRun>(manager.get(`/api/bill-runs/${rerun.id}`))).toMatchObject({ status: 'done', billsInserted: 13, billsSkippedExisting: 0 });
    const again101 = await c.database.db.selectFrom('bills').select('amount_cents').where('bill_run_id', '=', rerun.id).where('room_id', '=', r(101)).execute();
    expect((await c.services.billing.ledger.balances(c.database.db, e.communityId, 'receivable', [r(101)])).get(r(101))).toBe(again101.reduce((s, b) => s + Number(b.amount_cents), 0));
    expect(await c.services.billing.check.run()).toEqual([]);
    // Cancel the rerun too, so what follows starts from an unbilled March again.
    await ok<BillRun>(manager.post(`/api/bill-runs/${rerun.id}/cancel`));
    expect(await c.services.billing.check.run()).toEqual([]);

    const april = await ok<BillRun>(manager.post('/api/bill-runs', { communityId: e.communityId, periodLabel: '2026-04', feeItemIds: [e.fees.garbage] }), 201);
    await runJobs(c);
    // April: 101, 102 (its assignment starts on 1 April) and 103 pay the whole month.
    expect((await ok<BillRun>(manager.get(`/api/bill-runs/${april.id}`))).billsInserted).toBe(3);
    const bill = await c.database.db.selectFrom('bills').select(['id', 'amount_cents']).where('bill_run_id', '=', april.id).where('room_id', '=', r(101)).executeTakeFirstOrThrow();
    await c.services.billing.payments.collect(systemContext('test'), 'pay-april-101', { communityId: e.communityId, roomId: r(101), amountCents: 500, method: 'cash', billIds: [bill.id] });
    const refused = await manager.post(`/api/bill-runs/${april.id}/cancel`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('billing.run_has_payments');
    expect((await ok<BillRun>(manager.get(`/api/bill-runs/${april.id}`))).status).toBe('done');
  });

  it('keeps runs inside the caller’s communities', async () => {
    const other = await runsEstate(c, 'RUN2', [{ number: '101' }]);
    const res = await manager.post('/api/bill-runs/preview', { communityId: other.communityId, periodLabel: '2026-03', feeItemIds: [other.fees.property] });
    expect(res.json<{ code: string }>().code).toBe('auth.out_of_scope');
    const list = await ok<{ items: BillRun[] }>(manager.get(`/api/bill-runs?communityId=${e.communityId}`));
    expect(list.items.length).toBe(4);
  });
});
