import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_CODES } from '@courtyard/contracts';
import { systemContext, type RequestContext } from '../../src/core/http/context.js';
import { AppError } from '../../src/core/http/errors.js';
import { dialect, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { discountBill, invariants, issueBill, lateFee, paymentsEstate } from './payments.fixtures.js';

/**
 * Property: after ANY sequence of bill / pay / partial pay / top-up / deduct / refund / reverse /
 * late fee / discount, every invariant of `courtyard ledger check` holds. Operations go through
 * the services (no HTTP, for speed) on one database; a refused operation (AppError) is a legal
 * outcome, anything else fails. 1,000 sequences on SQLite in memory; 100 on PostgreSQL (each
 * operation is a network round trip there), as the brief allows.
 */
const RUNS = Number(process.env.SEQ_RUNS ?? (dialect === 'sqlite' ? 1_000 : 100));

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'SEQ', 2);
  cashier = asUser(await makeUser(c, { username: 'seq_cashier' }), 'seq_cashier');
  approver = asUser(await makeUser(c, { username: 'seq_approver' }), 'seq_approver');
});
afterAll(() => c.dispose());

type Op =
  | { op: 'bill'; room: number; cents: number }
  | { op: 'pay'; room: number; cents: number; chosen: boolean }
  | { op: 'topup'; room: number; cents: number }
  | { op: 'payFromPrepaid'; room: number; cents: number }
  | { op: 'deduct'; room: number }
  | { op: 'refund'; room: number; cents: number }
  | { op: 'reverse'; pick: number }
  | { op: 'lateFee'; pick: number; cents: number }
  | { op: 'discount'; pick: number; cents: number };

const room = fc.integer({ min: 0, max: 1 });
const cents = fc.integer({ min: 1, max: 20_000 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('bill' as const), room, cents }),
  fc.record({ op: fc.constant('pay' as const), room, cents, chosen: fc.boolean() }),
  fc.record({ op: fc.constant('topup' as const), room, cents }),
  fc.record({ op: fc.constant('payFromPrepaid' as const), room, cents }),
  fc.record({ op: fc.constant('deduct' as const), room }),
  fc.record({ op: fc.constant('refund' as const), room, cents }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('lateFee' as const), pick: fc.nat(), cents: fc.integer({ min: 1, max: 2_000 }) }),
  fc.record({ op: fc.constant('discount' as const), pick: fc.nat(), cents: fc.integer({ min: 1, max: 5_000 }) }),
);

/** Two users holding every permission everywhere: one requests, the other approves (approvals need people). */
const asUser = (userId: string, name: string): RequestContext => ({ ...systemContext(name), actor: { kind: 'user', userId, name }, scopes: new Map(PERMISSION_CODES.map((p) => [p, null])) });
let cashier: RequestContext;
let approver: RequestContext;

async function openBills(roomId?: string) {
  let q = c.database.db.selectFrom('bills').select(['id', 'subject_id', 'amount_cents', 'discount_cents', 'waived_cents', 'late_fee_cents', 'paid_cents']).where('status', '=', 'open').where('community_id', '=', e.communityId);
  if (roomId) q = q.where('subject_id', '=', roomId);
  return q.orderBy('id').execute();
}

async function apply(o: Op): Promise<void> {
  const s = c.services.billing;
  const roomId = 'room' in o ? e.rooms[o.room]! : '';
  const body = { communityId: e.communityId, roomId };
  switch (o.op) {
    case 'bill':
      await issueBill(c, e, roomId, o.cents);
      return;
    case 'pay': {
      const open = await openBills(roomId);
      const billIds = o.chosen && open.length ? [open[open.length - 1]!.id] : undefined;
      await s.payments.collect(cashier, crypto.randomUUID(), { ...body, amountCents: o.cents, method: 'cash', ...(billIds ? { billIds } : {}) });
      return;
    }
    case 'topup':
      await s.payments.topUp(cashier, crypto.randomUUID(), { ...body, amountCents: o.cents, method: 'bank_transfer' });
      return;
    case 'payFromPrepaid':
      await s.payments.collect(cashier, crypto.randomUUID(), { ...body, amountCents: o.cents, method: 'prepaid' });
      return;
    case 'deduct':
      await c.database.db.transaction().execute((tx) => s.prepaid.autoDeduct(tx, cashier, e.communityId, [roomId]));
      return;
    case 'refund': {
      const r = await s.refunds.requestRefund(cashier, { ...body, amountCents: o.cents, method: 'cash', reason: '退款测试' });
      await s.refunds.decide(approver, r.id, { approve: true });
      return;
    }
    case 'reverse': {
      const done = await c.database.db.selectFrom('payments').select('id').where('status', '=', 'completed').where('community_id', '=', e.communityId).orderBy('id').execute();
      if (!done.length) return;
      const r = await s.refunds.requestReversal(cashier, done[o.pick % done.length]!.id, { reason: '冲正测试' });
      await s.refunds.decide(approver, r.id, { approve: true });
      return;
    }
    case 'lateFee': {
      const open = await openBills();
      if (open.length) await lateFee(c, open[o.pick % open.length]!.id, o.cents);
      return;
    }
    case 'discount': {
      const open = await openBills();
      if (!open.length) return;
      const b = open[o.pick % open.length]!;
      const left = Number(b.amount_cents) - Number(b.discount_cents) - Number(b.waived_cents) + Number(b.late_fee_cents) - Number(b.paid_cents);
      // A discount reduces the principal only (never below zero) and never below what was paid.
      const room = Math.min(left, Number(b.amount_cents) - Number(b.discount_cents) - Number(b.waived_cents));
      if (room > 0) await discountBill(c, b.id, Math.min(o.cents, room));
      return;
    }
  }
}

describe('random sequences of billing operations', () => {
  it(`keep every ledger invariant (${RUNS} sequences of 5–12 operations)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 12 }), async (ops) => {
        for (const o of ops) {
          try {
            await apply(o);
          } catch (err) {
            // A refusal (balance too low, nothing to reverse…) is a correct answer; a crash is not.
            if (!(err instanceof AppError)) throw err;
          }
        }
        expect(await invariants(c)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 1_200_000);
});
