import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '@courtyard/contracts';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { bill, invariants, issueBill, pay, paymentsEstate, prepaidBalance } from './payments.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'CONC', 2);
});
afterAll(() => c.dispose());

describe('concurrent payments', () => {
  it('50 concurrent payments on one bill whose sum exceeds it apply exactly the bill amount; the rest is prepaid', async () => {
    const room = e.rooms[0]!;
    const b = await issueBill(c, e, room, 123_456);
    // 50 × 3,000 = 150,000 > 123,456: some payments settle the bill, the others top up the balance.
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => pay(i % 2 ? e.cashier : e.cashier2, { communityId: e.communityId, roomId: room, amountCents: 3_000, method: 'cash', billIds: [b] })));
    expect(answers.map((a) => a.statusCode).filter((s) => s !== 201)).toEqual([]);
    const payments = answers.map((a) => a.json<Payment>());
    expect(payments.reduce((s, p) => s + p.allocatedCents, 0)).toBe(123_456);
    expect(await bill(c, b)).toEqual({ paid: 123_456, status: 'paid' });
    expect(await prepaidBalance(c, e.communityId, room)).toBe(150_000 - 123_456);
    const receipts = await c.database.db.selectFrom('receipts').select('seq').where('community_id', '=', e.communityId).orderBy('seq').execute();
    // Gap-free under contention: 1..50.
    expect(receipts.map((r) => Number(r.seq))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await invariants(c)).toEqual([]);
  });

  it('concurrent payments from the prepaid balance never take it below zero', async () => {
    const room = e.rooms[1]!;
    for (let i = 0; i < 5; i++) await issueBill(c, e, room, 1_000);
    const topUp = await e.cashier.request('POST', '/api/prepaid/top-ups', { communityId: e.communityId, roomId: room, amountCents: 2_500, method: 'cash' }, { 'idempotency-key': `topup-${room}` });
    expect(topUp.statusCode).toBe(201);
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 1_000, method: 'prepaid' })));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(2);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json<{ code: string }>().code)).toEqual(Array(8).fill('billing.prepaid_insufficient'));
    expect(await prepaidBalance(c, e.communityId, room)).toBe(500);
    const n = await c.database.db.selectFrom('payments').select(sql<number>`count(*)`.as('n')).where('subject_id', '=', room).where('method', '=', 'prepaid').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
    expect(await invariants(c)).toEqual([]);
  });
});
