import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillRun, FeeRule } from '@courtyard/contracts';
import { startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, runJobs, runsEstate, signedIn } from './runs.fixtures.js';

/**
 * A bill run over many issuing transactions: 20 rooms in slices of 3 rooms make 7 slices (on
 * PostgreSQL two of them are in flight at once, each on its own connection). Garbage (10.00 per
 * room) is first billed for rooms 101–107 alone; the second run bills garbage and the property fee
 * (2.00/m² × 100.00 m²) for all 20 rooms, so its first slices meet bills that exist — on
 * PostgreSQL its first slices are written by COPY, which fails on such a key, and are retried.
 */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof runsEstate>>;
let manager: Client;
const ROOMS = 20;

async function run(feeItemIds: string[]): Promise<BillRun> {
  const started = await ok<BillRun>(manager.post('/api/bill-runs', { communityId: e.communityId, periodLabel: '2026-03', feeItemIds }), 201);
  await runJobs(c);
  return ok<BillRun>(manager.get(`/api/bill-runs/${started.id}`));
}

beforeAll(async () => {
  c = await startCourtyard({ billRunSliceRooms: 3 });
  c.clock.set(new Date('2026-04-01T02:00:00.000Z'));
  e = await runsEstate(
    c,
    'SLC',
    Array.from({ length: ROOMS }, (_, i) => ({ number: String(101 + i) })),
  );
  manager = await signedIn(c, 'slice_mgr', 'property_manager', e.communityId);
  const garbage = await ok<FeeRule>(manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: e.fees.garbage, name: '垃圾费', kind: 'fixed_per_room', price: { effectiveOn: '2026-01-01', price: '10' } }), 201);
  for (const room of e.rooms.slice(0, 7)) await ok(manager.post(`/api/fee-rules/${garbage.id}/assignments`, { targetType: 'room', targetId: room, effectiveOn: '2026-01-01' }));
  const property = await ok<FeeRule>(manager.post('/api/fee-rules', { communityId: e.communityId, feeItemId: e.fees.property, name: '物业费', kind: 'area_building', price: { effectiveOn: '2026-01-01', price: '2.00' } }), 201);
  await ok(manager.post(`/api/fee-rules/${property.id}/assignments`, { targetType: 'community', targetId: e.communityId, effectiveOn: '2020-01-01' }));
  const first = await run([e.fees.garbage]);
  expect(first).toMatchObject({ status: 'done', billsInserted: 7 });
  // From now on garbage applies to every room (the room assignments stay the most specific).
  await ok(manager.post(`/api/fee-rules/${garbage.id}/assignments`, { targetType: 'community', targetId: e.communityId, effectiveOn: '2026-01-01' }));
});
afterAll(() => c.dispose());

describe('bill runs in many slices', () => {
  it('bill every room once per fee item, skip the bills that exist whichever slice meets them, and keep the ledger clean', async () => {
    const second = await run([e.fees.garbage, e.fees.property]);
    expect(second).toMatchObject({ status: 'done', roomsDone: ROOMS, billsInserted: 13 + ROOMS, billsSkippedExisting: 7, totalCents: 13 * 1_000 + ROOMS * 20_000 });

    const bills = await c.database.db.selectFrom('bills').select(['room_id', 'fee_item_id', 'amount_cents']).where('community_id', '=', e.communityId).execute();
    expect(bills).toHaveLength(2 * ROOMS);
    expect(new Set(bills.map((b) => `${b.room_id}:${b.fee_item_id}`)).size).toBe(2 * ROOMS);
    const receivable = await c.services.billing.ledger.balances(c.database.db, e.communityId, 'receivable', e.rooms);
    expect([...receivable.values()]).toEqual(e.rooms.map(() => 21_000));
    expect(await c.services.billing.ledger.check(c.database.db)).toEqual([]);
  });
});
