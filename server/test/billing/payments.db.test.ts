import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment, Receipt } from '@courtyard/contracts';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { bill, invariants, issueBill, key, pay, payOk, paymentsEstate, prepaidBalance } from './payments.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'PAY', 6);
});
afterAll(() => c.dispose());

describe('taking a payment at the counter', () => {
  it('settles open bills oldest due first, part of the last one, and says what it did', async () => {
    const room = e.rooms[0]!;
    const newer = await issueBill(c, e, room, 10_000, { label: '2026-05' });
    const older = await issueBill(c, e, room, 12_000, { label: '2026-04' });
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 15_000, method: 'cash', payerName: '张三' });
    expect(p).toMatchObject({ method: 'cash', amountCents: 15_000, allocatedCents: 15_000, prepaidBalanceCents: 0, status: 'completed' });
    expect(p.allocations).toEqual([
      { billId: older, amountCents: 12_000 },
      { billId: newer, amountCents: 3_000 },
    ]);
    expect(await bill(c, older)).toEqual({ paid: 12_000, status: 'paid' });
    expect(await bill(c, newer)).toEqual({ paid: 3_000, status: 'open' });
    expect(p.receiptNumber).toMatch(/^PAY-2026-\d{6}$/);
    expect(await invariants(c)).toEqual([]);
  });

  it('settles only the chosen bills; the rest of the money stays on the prepaid balance', async () => {
    const room = e.rooms[1]!;
    const older = await issueBill(c, e, room, 5_000, { label: '2026-01' });
    const chosen = await issueBill(c, e, room, 8_000, { label: '2026-02' });
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 10_000, method: 'bank_card', billIds: [chosen] });
    expect(p.allocations).toEqual([{ billId: chosen, amountCents: 8_000 }]);
    expect(p.prepaidBalanceCents).toBe(2_000);
    expect(await bill(c, older)).toEqual({ paid: 0, status: 'open' });
    expect(await prepaidBalance(c, e.communityId, room)).toBe(2_000);
    // Paying from the balance later settles the older bill partly; it never goes below zero.
    const fromBalance = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 2_000, method: 'prepaid' });
    expect(fromBalance).toMatchObject({ method: 'prepaid', amountCents: 2_000, allocatedCents: 2_000, prepaidBalanceCents: 0, receiptNumber: null });
    expect(await bill(c, older)).toEqual({ paid: 2_000, status: 'open' });
    const tooMuch = await pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 1, method: 'prepaid' });
    expect([tooMuch.statusCode, tooMuch.json<{ code: string }>().code]).toEqual([409, 'billing.prepaid_insufficient']);
    expect(await invariants(c)).toEqual([]);
  });

  it('an over-payment is never lost: what the bills do not take becomes prepaid', async () => {
    const room = e.rooms[2]!;
    const b = await issueBill(c, e, room, 3_000);
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 50_000, method: 'bank_transfer' });
    expect(p).toMatchObject({ allocatedCents: 3_000, prepaidBalanceCents: 47_000 });
    expect(await bill(c, b)).toEqual({ paid: 3_000, status: 'paid' });
    const receipt = (await e.cashier.get(`/api/receipts/${p.receiptId}`)).json<Receipt>();
    expect(receipt).toMatchObject({ number: p.receiptNumber, amountCents: 50_000, prepaidCents: 47_000, communityName: '小区 PAY', subjectLabel: '1-1-103', status: 'issued', issuedByName: 'cashier_pay', voidedByName: null });
    expect(receipt.lines.map((l) => [l.billId, l.feeItemName, l.amountCents])).toEqual([[b, '物业费', 3_000]]);
  });

  it('refuses a bill of another room, an unknown room, and a missing idempotency key, leaving nothing written', async () => {
    const other = await issueBill(c, e, e.rooms[3]!, 1_000);
    const before = (await c.database.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const wrong = await pay(e.cashier, { communityId: e.communityId, roomId: e.rooms[4]!, amountCents: 1_000, method: 'cash', billIds: [other] });
    expect([wrong.statusCode, wrong.json<{ code: string }>().code]).toEqual([409, 'billing.bill_not_payable']);
    const noKey = await e.cashier.post('/api/payments', { communityId: e.communityId, roomId: e.rooms[4]!, amountCents: 1_000, method: 'cash' });
    expect([noKey.statusCode, noKey.json<{ code: string }>().code]).toEqual([400, 'billing.idempotency_key_required']);
    const after = (await c.database.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before));
  });

  it('numbers receipts per community and year without gaps, even when a payment fails in between', async () => {
    const room = e.rooms[5]!;
    const first = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 100, method: 'cash' });
    await pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 100, method: 'cash', billIds: ['0190b000-0000-7000-8000-00000000dead'] });
    const second = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 100, method: 'cash' });
    const seq = (p: Payment) => Number(p.receiptNumber!.slice(-6));
    expect(seq(second)).toBe(seq(first) + 1);
  });

  it('lists payments newest first with keyset pages, only in the caller’s communities', async () => {
    const page1 = (await e.cashier.get('/api/payments?limit=2')).json<{ items: Payment[]; nextCursor: string | null }>();
    expect(page1.items).toHaveLength(2);
    const page2 = (await e.cashier.get(`/api/payments?limit=2&cursor=${page1.nextCursor}`)).json<{ items: Payment[] }>();
    expect(page2.items[0]!.receivedAt <= page1.items[1]!.receivedAt).toBe(true);
    expect(page2.items.map((p) => p.id)).not.toContain(page1.items[0]!.id);
    void key;
  });
});
