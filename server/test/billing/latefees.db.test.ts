import type { Approval, BillDetail } from '@courtyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, signedIn } from '../properties/fixtures.js';
import { billingEstate, marchBill, sys } from './bills.fixtures.js';

let c: TestCourtyard;
let A: Awaited<ReturnType<typeof billingEstate>>;
let main: string;
let small: string;
let water: string;
beforeAll(async () => {
  c = await startCourtyard();
  // Property fee: 500 ppm (万分之五) a day from the day after the due date, capped at the principal.
  A = await billingEstate(c, 'LATE', 2);
  const res = await c.database.db.transaction().execute((tx) =>
    c.services.billing.bills.issueMany(tx, sys, {
      communityId: A.communityId,
      bills: [marchBill(A.rooms[0]!, A.feeItems.property, 10_000), marchBill(A.rooms[1]!, A.feeItems.property, 100), marchBill(A.rooms[1]!, A.feeItems.water, 5_000)],
    }),
  );
  [main, small, water] = res.billIds as [string, string, string];
  await makeUser(c, { username: 'mgr-1', role: 'property_manager', communityId: A.communityId });
  await makeUser(c, { username: 'mgr-2', role: 'property_manager', communityId: A.communityId });
});
afterAll(() => c.dispose());

const lateFee = async (id: string) => (await c.database.db.selectFrom('bills').select(['late_fee_cents', 'late_fee_waived_cents']).where('id', '=', id).executeTakeFirstOrThrow());
const run = (asOf: string) => c.services.billing.lateFees.run(asOf);

describe('late fees (滞纳金)', () => {
  it('charges nothing on the due date, 5 cents on 10,000 the day after, and nothing more when rerun the same day', async () => {
    expect(await run('2026-03-31')).toEqual({ bills: 0, addedCents: 0 });
    expect(await run('2026-04-01')).toEqual({ bills: 1, addedCents: 5 });
    expect(await run('2026-04-01')).toEqual({ bills: 0, addedCents: 0 });
    expect(await lateFee(main)).toEqual({ late_fee_cents: 5, late_fee_waived_cents: 0 });
    // The 1-yuan bill accrues 0.05 cents a day: rounded, nothing yet. Water has no rate.
    expect(await lateFee(small)).toEqual({ late_fee_cents: 0, late_fee_waived_cents: 0 });
    expect(await lateFee(water)).toEqual({ late_fee_cents: 0, late_fee_waived_cents: 0 });
  });

  it('catches up missed days from the total, posting Dr receivable, Cr late_fee_revenue; the ledger stays clean', async () => {
    // 10 days: 50 cents on 10,000 (45 more), and 0.5 cents on the 1-yuan bill, rounded half up to 1.
    expect(await run('2026-04-10')).toEqual({ bills: 2, addedCents: 46 });
    const ledger = c.services.billing.ledger;
    expect((await ledger.balances(c.database.db, A.communityId, 'receivable', [A.rooms[0]!])).get(A.rooms[0]!)).toBe(10_050);
    expect((await ledger.balances(c.database.db, A.communityId, 'late_fee_revenue', [A.feeItems.property])).get(A.feeItems.property)).toBe(-51);
    expect(await ledger.check(c.database.db)).toEqual([]);
  });

  it('never exceeds the principal by default', async () => {
    await run('2036-01-01');
    expect((await lateFee(small)).late_fee_cents).toBe(100);
    expect((await lateFee(main)).late_fee_cents).toBe(10_000);
  });

  it('is waivable with a second approver (the reverse posting), and a waived fee is not charged again', async () => {
    const first: Client = await signedIn(c, 'mgr-1');
    const second: Client = await signedIn(c, 'mgr-2');
    const asked = await ok<Approval>(first.post(`/api/bills/${small}/reliefs`, { kind: 'late_fee_waiver', amountCents: 100, reason: '首次逾期' }));
    await ok(second.post(`/api/approvals/${asked.id}/decide`, { decision: 'approve' }));
    const bill = await ok<BillDetail>(second.get(`/api/bills/${small}`));
    expect(bill).toMatchObject({ lateFeeCents: 0, lateFeeWaivedCents: 100, outstandingCents: 100 });
    expect(bill.ledger.map((t) => t.kind)).toEqual(expect.arrayContaining(['late_fee', 'late_fee_waiver']));
    expect(await run('2036-01-02')).toEqual({ bills: 0, addedCents: 0 });
    expect(await c.services.billing.ledger.check(c.database.db)).toEqual([]);
  });

  it('is scheduled daily as billing.late_fees', async () => {
    const row = await c.database.db.selectFrom('cron_schedules').select(['expression', 'job_type']).where('name', '=', 'billing.late_fees').executeTakeFirstOrThrow();
    expect(row).toEqual({ expression: '10 16 * * *', job_type: 'billing.late_fees' });
  });
});
