import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deposit, Payment, Receipt, Refund } from '@courtyard/contracts';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { bill, discountBill, invariants, issueBill, key, payOk, paymentsEstate, prepaidBalance } from './payments.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'REF', 5);
});
afterAll(() => c.dispose());

const code = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;

describe('reversal (冲正) with a second user’s approval', () => {
  it('the requester cannot approve; another user can, and the bills reopen, the money posting is undone, the receipt is void', async () => {
    const room = e.rooms[0]!;
    const b1 = await issueBill(c, e, room, 6_000, { label: '2026-01' });
    const b2 = await issueBill(c, e, room, 6_000, { label: '2026-02' });
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 15_000, method: 'cash' });
    expect(await bill(c, b1)).toEqual({ paid: 6_000, status: 'paid' });
    const req = await e.cashier.post(`/api/payments/${p.id}/reversal`, { reason: '收款金额录错' });
    expect(req.statusCode).toBe(201);
    const refund = req.json<Refund>();
    expect(refund).toMatchObject({ kind: 'reversal', status: 'pending', amountCents: 15_000 });
    const twice = await e.cashier.post(`/api/payments/${p.id}/reversal`, { reason: '再次申请' });
    expect(code(twice)).toBe('billing.payment_not_reversible');

    // The cashier has no approval right; a manager who requested it himself would be refused too.
    expect((await e.cashier.post(`/api/refunds/${refund.id}/decide`, { approve: true })).statusCode).toBe(403);
    const ok = await e.manager.post(`/api/refunds/${refund.id}/decide`, { approve: true, note: '同意' });
    expect([ok.statusCode, ok.json<Refund>().status]).toEqual([200, 'approved']);

    expect(await bill(c, b1)).toEqual({ paid: 0, status: 'open' });
    expect(await bill(c, b2)).toEqual({ paid: 0, status: 'open' });
    expect(await prepaidBalance(c, e.communityId, room)).toBe(0);
    // The decision is recorded in billing's approvals too (one inbox for reliefs and refunds).
    const approval = await c.database.db.selectFrom('billing_approvals').select(['kind', 'status']).where('subject_type', '=', 'refund').where('subject_id', '=', refund.id).executeTakeFirstOrThrow();
    expect(approval).toEqual({ kind: 'billing.refund', status: 'approved' });
    const after = (await e.cashier.get(`/api/payments/${p.id}`)).json<Payment>();
    expect(after).toMatchObject({ status: 'reversed', allocatedCents: 0, receiptNumber: null });
    const receipt = (await e.cashier.get(`/api/receipts/${p.receiptId}`)).json<Receipt>();
    expect(receipt).toMatchObject({ status: 'void', voidReason: '收款金额录错', number: p.receiptNumber });
    const again = await e.manager.post(`/api/refunds/${refund.id}/decide`, { approve: true });
    expect(code(again)).toBe('billing.refund_not_pending');
    expect(await invariants(c)).toEqual([]);
  });

  it('a manager cannot approve the reversal he requested himself', async () => {
    const room = e.rooms[1]!;
    const p = await payOk(e.manager, { communityId: e.communityId, roomId: room, amountCents: 1_000, method: 'cash' });
    const r = (await e.manager.post(`/api/payments/${p.id}/reversal`, { reason: '重复收款' })).json<Refund>();
    const self = await e.manager.post(`/api/refunds/${r.id}/decide`, { approve: true });
    expect([self.statusCode, code(self)]).toEqual([403, 'billing.refund_self_approval']);
    const rejected = await e.manager.post(`/api/refunds/${r.id}/decide`, { approve: false });
    expect(code(rejected)).toBe('billing.refund_self_approval');
  });

  it('is refused when the over-payment it would take back has already been spent', async () => {
    const room = e.rooms[2]!;
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 5_000, method: 'cash' });
    const r = (await e.cashier.post(`/api/payments/${p.id}/reversal`, { reason: '客户要求' })).json<Refund>();
    await issueBill(c, e, room, 4_000);
    await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 4_000, method: 'prepaid' });
    const res = await e.manager.post(`/api/refunds/${r.id}/decide`, { approve: true });
    expect(code(res)).toBe('billing.refund_exceeds_balance');
    expect((await e.cashier.get(`/api/payments/${p.id}`)).json<Payment>().status).toBe('completed');
    expect(await invariants(c)).toEqual([]);
  });
});

describe('refund (退款) of prepaid balance', () => {
  it('refunds respect discounts: only money actually paid and not used can go back', async () => {
    const room = e.rooms[3]!;
    const b = await issueBill(c, e, room, 10_000);
    await discountBill(c, b, 2_000);
    // The owner pays the undiscounted price: 8,000 settles the bill, 2,000 stays prepaid.
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 10_000, method: 'cash' });
    expect(p).toMatchObject({ allocatedCents: 8_000, prepaidBalanceCents: 2_000 });
    const tooMuch = await e.cashier.post('/api/prepaid/refunds', { communityId: e.communityId, roomId: room, amountCents: 10_000, method: 'cash', reason: '退还多收' });
    expect(code(tooMuch)).toBe('billing.refund_exceeds_balance');
    const r = (await e.cashier.post('/api/prepaid/refunds', { communityId: e.communityId, roomId: room, amountCents: 2_000, method: 'cash', reason: '退还多收' })).json<Refund>();
    expect(r).toMatchObject({ kind: 'prepaid_refund', status: 'pending' });
    const decided = await e.manager.post(`/api/refunds/${r.id}/decide`, { approve: true });
    expect(decided.json<Refund>().status).toBe('approved');
    expect(await prepaidBalance(c, e.communityId, room)).toBe(0);
    expect(await bill(c, b)).toEqual({ paid: 8_000, status: 'paid' });
    expect(await invariants(c)).toEqual([]);
  });

  it('two approved refunds can never take the balance below zero (re-checked at approval)', async () => {
    const room = e.rooms[4]!;
    await e.cashier.request('POST', '/api/prepaid/top-ups', { communityId: e.communityId, roomId: room, amountCents: 3_000, method: 'cash' }, { 'idempotency-key': key() });
    c.clock.advance(1_000);
    const r1 = (await e.cashier.post('/api/prepaid/refunds', { communityId: e.communityId, roomId: room, amountCents: 2_000, method: 'cash', reason: '退款一' })).json<Refund>();
    const r2 = (await e.cashier.post('/api/prepaid/refunds', { communityId: e.communityId, roomId: room, amountCents: 2_000, method: 'cash', reason: '退款二' })).json<Refund>();
    expect((await e.manager.post(`/api/refunds/${r1.id}/decide`, { approve: true })).statusCode).toBe(200);
    expect(code(await e.manager.post(`/api/refunds/${r2.id}/decide`, { approve: true }))).toBe('billing.refund_exceeds_balance');
    expect(await prepaidBalance(c, e.communityId, room)).toBe(1_000);
    const statement = (await e.cashier.get(`/api/prepaid/statement?subjectId=${room}&limit=1`)).json<{ balanceCents: number; items: { amountCents: number; balanceCents: number; kind: string }[]; nextCursor: string }>();
    expect(statement.balanceCents).toBe(1_000);
    expect(statement.items).toEqual([expect.objectContaining({ kind: 'refund', amountCents: -2_000, balanceCents: 1_000 })]);
    const older = (await e.cashier.get(`/api/prepaid/statement?subjectId=${room}&cursor=${statement.nextCursor}`)).json<{ items: { amountCents: number; balanceCents: number; kind: string }[] }>();
    expect(older.items).toEqual([expect.objectContaining({ kind: 'prepaid_topup', amountCents: 3_000, balanceCents: 3_000 })]);
  });
});

describe('deposits (押金)', () => {
  it('collects a renovation deposit with a receipt and returns it after a second user approves', async () => {
    const room = e.rooms[0]!;
    const renovationId = '0190b000-0000-7000-8000-0000000000aa';
    const res = await e.cashier.request('POST', '/api/deposits', { communityId: e.communityId, roomId: room, amountCents: 200_000, method: 'bank_card', purpose: '装修押金', renovationId, payerName: '王五' }, { 'idempotency-key': key() });
    expect(res.statusCode).toBe(201);
    const d = res.json<Deposit>();
    expect(d).toMatchObject({ status: 'held', renovationId, amountCents: 200_000 });
    expect(d.receiptNumber).toMatch(/^REF-2026-\d{6}$/);
    const deposits = c.services.billing.ledger;
    expect((await deposits.balances(c.database.db, e.communityId, 'deposit', [room])).get(room)).toBe(-200_000);
    const req = (await e.cashier.post(`/api/deposits/${d.id}/return`, { method: 'bank_transfer', reason: '装修验收合格' })).json<Refund>();
    expect(code(await e.cashier.post(`/api/deposits/${d.id}/return`, { method: 'cash', reason: '再次申请' }))).toBe('billing.deposit_not_held');
    expect((await e.manager.post(`/api/refunds/${req.id}/decide`, { approve: true })).statusCode).toBe(200);
    const list = (await e.cashier.get(`/api/deposits?subjectId=${room}`)).json<{ items: Deposit[] }>();
    expect(list.items.map((x) => x.status)).toEqual(['returned']);
    expect((await deposits.balances(c.database.db, e.communityId, 'deposit', [room])).get(room)).toBe(0);
    expect(await invariants(c)).toEqual([]);
  });
});
