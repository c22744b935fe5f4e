import type { Approval, BillDetail } from '@courtyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, problem, signedIn } from '../properties/fixtures.js';
import { billingEstate, marchBill, sys } from './bills.fixtures.js';

let c: TestCourtyard;
let A: Awaited<ReturnType<typeof billingEstate>>;
let first: Client;
let second: Client;
let cashier: Client;
let otherManager: Client;
let bill1: string;
let bill2: string;
beforeAll(async () => {
  c = await startCourtyard();
  A = await billingEstate(c, 'APR', 2);
  const other = await makeCommunity(c, 'APR2');
  const res = await c.database.db.transaction().execute((tx) =>
    c.services.billing.bills.issueMany(tx, sys, { communityId: A.communityId, bills: [marchBill(A.rooms[0]!, A.feeItems.property, 10_000), marchBill(A.rooms[1]!, A.feeItems.property, 5_000)] }),
  );
  [bill1, bill2] = res.billIds as [string, string];
  await makeUser(c, { username: 'mgr-1', role: 'property_manager', communityId: A.communityId });
  await makeUser(c, { username: 'mgr-2', role: 'property_manager', communityId: A.communityId });
  await makeUser(c, { username: 'cash-1', role: 'cashier', communityId: A.communityId });
  await makeUser(c, { username: 'mgr-b', role: 'property_manager', communityId: other });
  first = await signedIn(c, 'mgr-1');
  second = await signedIn(c, 'mgr-2');
  cashier = await signedIn(c, 'cash-1');
  otherManager = await signedIn(c, 'mgr-b');
});
afterAll(() => c.dispose());

const detail = (id: string) => ok<BillDetail>(second.get(`/api/bills/${id}`));

describe('manual discounts and waivers (减免) with a second approver', () => {
  let discount: Approval;

  it('a 10 % discount request computes its amount exactly and changes nothing until approved', async () => {
    discount = await ok<Approval>(first.post(`/api/bills/${bill1}/reliefs`, { kind: 'discount', percent: '10', reason: '老人优惠' }));
    expect(discount).toMatchObject({ kind: 'bill.discount', status: 'pending', subjectId: bill1, payload: { amountCents: 1_000, percent: '10' } });
    expect((await detail(bill1)).outstandingCents).toBe(10_000);
    expect((await problem(cashier.post(`/api/bills/${bill1}/reliefs`, { kind: 'discount', amountCents: 100, reason: '收费员' }))).code).toBe('auth.forbidden');
    expect((await problem(first.post(`/api/bills/${bill1}/reliefs`, { kind: 'discount', amountCents: 100, percent: '1', reason: '两者' }))).status).toBe(400);
  });

  it('the requester cannot approve it, nor can a manager of another community', async () => {
    expect(await problem(first.post(`/api/approvals/${discount.id}/decide`, { decision: 'approve' }))).toMatchObject({ status: 403, code: 'billing.approval_self' });
    expect((await problem(otherManager.post(`/api/approvals/${discount.id}/decide`, { decision: 'approve' }))).code).toBe('auth.out_of_scope');
    expect((await ok<{ items: Approval[] }>(otherManager.get('/api/approvals'))).items).toEqual([]);
  });

  it('a second manager approves: Dr discounts(fee item), Cr receivable(room); visible on the bill; decided once only', async () => {
    c.clock.advance(60_000);
    const decided = await ok<Approval>(second.post(`/api/approvals/${discount.id}/decide`, { decision: 'approve', note: '同意' }));
    expect(decided).toMatchObject({ status: 'approved', decisionNote: '同意' });
    const bill = await detail(bill1);
    expect(bill).toMatchObject({ discountCents: 1_000, outstandingCents: 9_000, status: 'open' });
    expect(bill.approvals.map((a) => a.status)).toEqual(['approved']);
    // Screens show people, not ids: the requester's and decider's display names come with the approval.
    expect(bill.approvals[0]).toMatchObject({ requestedByName: 'mgr-1', decidedByName: 'mgr-2' });
    expect((await ok<Approval>(second.get(`/api/approvals/${discount.id}`))).requestedByName).toBe('mgr-1');
    expect((await ok<{ items: Approval[] }>(second.get('/api/approvals?status=approved'))).items.find((a) => a.id === discount.id)).toMatchObject({ requestedByName: 'mgr-1', decidedByName: 'mgr-2' });
    expect(bill.ledger.map((t) => t.kind)).toEqual(['bill_issue', 'discount']);
    expect(bill.ledger[1]!.entries).toEqual(
      expect.arrayContaining([{ account: 'discounts', subjectId: A.feeItems.property, amountCents: 1_000 }, { account: 'receivable', subjectId: A.rooms[0]!, amountCents: -1_000 }]),
    );
    expect((await problem(second.post(`/api/approvals/${discount.id}/decide`, { decision: 'reject' }))).code).toBe('billing.approval_decided');
    expect(await c.services.billing.ledger.check(c.database.db)).toEqual([]);
  });

  it('never relieves more than is owed; a waiver of exactly the rest settles the bill', async () => {
    expect((await problem(first.post(`/api/bills/${bill1}/reliefs`, { kind: 'waiver', amountCents: 9_001, reason: '困难户' }))).code).toBe('billing.relief_exceeds_outstanding');
    expect((await problem(first.post(`/api/bills/${bill1}/reliefs`, { kind: 'late_fee_waiver', amountCents: 1, reason: '无滞纳金' }))).code).toBe('billing.relief_exceeds_outstanding');
    const waiver = await ok<Approval>(first.post(`/api/bills/${bill1}/reliefs`, { kind: 'waiver', amountCents: 9_000, reason: '困难户' }));
    await ok(second.post(`/api/approvals/${waiver.id}/decide`, { decision: 'approve' }));
    expect(await detail(bill1)).toMatchObject({ discountCents: 1_000, waivedCents: 9_000, outstandingCents: 0, status: 'paid' });
    const balances = await c.services.billing.ledger.balances(c.database.db, A.communityId, 'receivable', [A.rooms[0]!]);
    expect(balances.get(A.rooms[0]!)).toBe(0);
  });

  it('a rejected request changes nothing on the bill; an approval that no longer fits is refused and stays pending', async () => {
    const asked = await ok<Approval>(first.post(`/api/bills/${bill2}/reliefs`, { kind: 'waiver', amountCents: 3_000, reason: '试一下' }));
    expect((await ok<Approval>(second.post(`/api/approvals/${asked.id}/decide`, { decision: 'reject' }))).status).toBe('rejected');
    expect((await detail(bill2)).waivedCents).toBe(0);
    // Two requests that each fit, but not together: the second approval is refused.
    const a = await ok<Approval>(first.post(`/api/bills/${bill2}/reliefs`, { kind: 'waiver', amountCents: 4_000, reason: '第一次' }));
    const b = await ok<Approval>(first.post(`/api/bills/${bill2}/reliefs`, { kind: 'discount', amountCents: 4_000, reason: '第二次' }));
    await ok(second.post(`/api/approvals/${a.id}/decide`, { decision: 'approve' }));
    expect((await problem(second.post(`/api/approvals/${b.id}/decide`, { decision: 'approve' }))).code).toBe('billing.relief_exceeds_outstanding');
    expect((await ok<Approval>(second.get(`/api/approvals/${b.id}`))).status).toBe('pending');
    expect(await c.services.billing.ledger.check(c.database.db)).toEqual([]);
  });
});
