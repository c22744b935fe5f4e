import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { bill, invariants, issueBill, key, paymentsEstate, prepaidBalance, sys } from './payments.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'PRE', 3);
});
afterAll(() => c.dispose());

const topUp = (roomId: string, amountCents: number) =>
  e.cashier.request('POST', '/api/prepaid/top-ups', { communityId: e.communityId, roomId, amountCents, method: 'cash' }, { 'idempotency-key': key() });

describe('prepaid balance (预存款)', () => {
  it('a top-up allocates nothing and gets a receipt, even when bills are open', async () => {
    const room = e.rooms[0]!;
    const b = await issueBill(c, e, room, 3_000);
    const res = await topUp(room, 10_000);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ allocatedCents: 0, prepaidBalanceCents: 10_000, receiptNumber: expect.stringMatching(/^PRE-/) as string });
    expect(await bill(c, b)).toEqual({ paid: 0, status: 'open' });
  });

  it('automatic deduction settles each room’s open bills oldest first from its balance, never below zero', async () => {
    const [r0, r1, r2] = e.rooms as [string, string, string];
    const newer = await issueBill(c, e, r0, 9_000, { label: '2027-02' });
    const older = await issueBill(c, e, r0, 5_000, { label: '2027-01' });
    await topUp(r1, 1_000);
    const r1Bill = await issueBill(c, e, r1, 4_000);
    const r2Bill = await issueBill(c, e, r2, 4_000);
    const result = await c.database.db.transaction().execute((tx) => c.services.billing.prepaid.autoDeduct(tx, sys, e.communityId, [r0, r1, r2]));
    // r0: 10,000 covers the 2027-01 bill (5,000), then 5,000 of 2027-02; the first test's bill
    // (due in 2030) gets nothing. r1: its 1,000 goes to its bill. r2 has no balance.
    expect(result).toEqual({ bills: 3, amountCents: 10_000 + 1_000 });
    expect(await bill(c, older)).toEqual({ paid: 5_000, status: 'paid' });
    expect(await bill(c, newer)).toEqual({ paid: 5_000, status: 'open' });
    expect(await bill(c, r1Bill)).toEqual({ paid: 1_000, status: 'open' });
    expect(await bill(c, r2Bill)).toEqual({ paid: 0, status: 'open' });
    expect([await prepaidBalance(c, e.communityId, r0), await prepaidBalance(c, e.communityId, r1)]).toEqual([0, 0]);
    const again = await c.database.db.transaction().execute((tx) => c.services.billing.prepaid.autoDeduct(tx, sys, e.communityId, [r0, r1, r2]));
    expect(again).toEqual({ bills: 0, amountCents: 0 });
    expect(await invariants(c)).toEqual([]);
  });

  it('is asked for per community through the billing.prepaid.auto_deduct setting (off by default)', async () => {
    expect(await c.services.billing.prepaid.autoDeductEnabled(e.communityId)).toBe(false);
    await c.services.settings.update(sys, 'billing.prepaid.auto_deduct', { enabled: true }, e.communityId);
    expect(await c.services.billing.prepaid.autoDeductEnabled(e.communityId)).toBe(true);
  });
});
