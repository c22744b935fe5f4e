import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Payment } from '@courtyard/contracts';
import { Client, makeUser, PASSWORD, type TestCourtyard } from '../harness.js';
import { billingEstate, sys } from './bills.fixtures.js';

export { sys };
export type Estate = Awaited<ReturnType<typeof billingEstate>>;

/** An estate (rooms, fee items) with a cashier and a manager of it, signed in. */
export async function paymentsEstate(c: TestCourtyard, code: string, rooms = 3) {
  const estate = await billingEstate(c, code, rooms);
  const lower = code.toLowerCase();
  await makeUser(c, { username: `cashier_${lower}`, role: 'cashier', communityId: estate.communityId });
  await makeUser(c, { username: `cashier2_${lower}`, role: 'cashier', communityId: estate.communityId });
  await makeUser(c, { username: `manager_${lower}`, role: 'property_manager', communityId: estate.communityId });
  return {
    ...estate,
    cashier: await signIn(c, `cashier_${lower}`),
    cashier2: await signIn(c, `cashier2_${lower}`),
    manager: await signIn(c, `manager_${lower}`),
  };
}

export async function signIn(c: TestCourtyard, username: string): Promise<Client> {
  const client = new Client(c.app);
  const res = await client.signIn(username, PASSWORD);
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.body}`);
  return client;
}

let period = 0;
/**
 * Issues one bill (through the bills service) for a room; each call is a new monthly period unless
 * `label` is given, so `dueOn` orders them.
 */
export async function issueBill(c: TestCourtyard, estate: Estate, roomId: string, amountCents: number, opts: { dueOn?: string; label?: string; feeItemId?: string } = {}): Promise<string> {
  period += 1;
  const label = opts.label ?? `20${String(30 + Math.floor(period / 12)).padStart(2, '0')}-${String((period % 12) + 1).padStart(2, '0')}`;
  const dueOn = opts.dueOn ?? `${label}-28`;
  const feeItemId = opts.feeItemId ?? estate.feeItems.property;
  const r = await c.database.db.transaction().execute((tx) =>
    c.services.billing.bills.issueOne(tx, sys, {
      communityId: estate.communityId,
      roomId,
      feeItemId,
      periodStartOn: `${label}-01`,
      periodEndOn: `${label}-28`,
      periodLabel: label,
      dueOn,
      amountCents,
      explanation: { v: 1, rule: 'fixed', cents: amountCents },
      uniqueKey: `test:${crypto.randomUUID()}`,
    }),
  );
  return r.id;
}

export const key = () => `k-${crypto.randomUUID()}`;

/** POST /api/payments with a fresh (or given) idempotency key. */
export function pay(client: Client, body: Record<string, unknown>, idempotencyKey = key()): Promise<LightMyRequestResponse> {
  return client.request('POST', '/api/payments', body, { 'idempotency-key': idempotencyKey });
}

export async function payOk(client: Client, body: Record<string, unknown>): Promise<Payment> {
  const res = await pay(client, body);
  if (res.statusCode !== 201) throw new Error(`payment failed: ${res.statusCode} ${res.body}`);
  return res.json<Payment>();
}

export async function bill(c: TestCourtyard, id: string) {
  const b = await c.database.db.selectFrom('bills').select(['paid_cents', 'status', 'paid_at']).where('id', '=', id).executeTakeFirstOrThrow();
  return { paid: Number(b.paid_cents), status: b.status };
}

export async function prepaidBalance(c: TestCourtyard, communityId: string, subjectId: string): Promise<number> {
  const m = await c.services.billing.ledger.balances(c.database.db, communityId, 'prepaid', [subjectId]);
  return 0 - (m.get(subjectId) ?? 0);
}

/**
 * Every invariant of `courtyard ledger check` (the bills part's check: transactions balance,
 * balances = entries, paid = allocations ≤ due, receivable = bills owed, prepaid/deposit never
 * negative), plus the bill status agreeing with what is left to pay.
 */
export async function invariants(c: TestCourtyard): Promise<string[]> {
  const db = c.database.db;
  const problems = (await c.services.billing.check.run(db)).map((p) => `${p.check}: ${p.detail}`);
  const bills = await db.selectFrom('bills').select(['id', 'paid_cents', 'amount_cents', 'discount_cents', 'waived_cents', 'late_fee_cents', 'status']).where('status', '<>', 'cancelled').execute();
  for (const b of bills) {
    const due = Number(b.amount_cents) - Number(b.discount_cents) - Number(b.waived_cents) + Number(b.late_fee_cents);
    const paid = Number(b.paid_cents);
    if (b.status === 'paid' && paid !== due) problems.push(`bill ${b.id}: paid status with ${paid}/${due}`);
    if (b.status === 'open' && paid === due && due > 0) problems.push(`bill ${b.id}: open but fully paid`);
  }
  return problems;
}

/**
 * A discount on a bill as the bills module posts it (Dr discounts(fee item), Cr receivable(room)),
 * written directly so that payments tests do not depend on the reliefs workflow.
 */
export async function discountBill(c: TestCourtyard, billId: string, cents: number): Promise<void> {
  await c.database.db.transaction().execute(async (tx) => {
    const b = await tx.selectFrom('bills').selectAll().where('id', '=', billId).executeTakeFirstOrThrow();
    const left = Number(b.amount_cents) - Number(b.discount_cents) - cents - Number(b.waived_cents) + Number(b.late_fee_cents) - Number(b.paid_cents);
    await tx
      .updateTable('bills')
      .set({ discount_cents: Number(b.discount_cents) + cents, status: left === 0 ? 'paid' : 'open', paid_at: left === 0 ? (b.paid_at ?? c.clock.now().toISOString()) : null })
      .where('id', '=', billId)
      .execute();
    await c.services.billing.ledger.post(tx, {
      communityId: b.community_id,
      kind: 'discount',
      refType: 'bill',
      refId: billId,
      actor: 'test',
      entries: [
        { account: 'discounts', subjectId: b.fee_item_id, amountCents: cents },
        { account: 'receivable', subjectId: b.subject_id, amountCents: -cents },
      ],
    });
  });
}

/** A late fee on a bill as the late-fee job posts it (Dr receivable, Cr late_fee_revenue); a paid bill reopens. */
export async function lateFee(c: TestCourtyard, billId: string, cents: number): Promise<void> {
  await c.database.db.transaction().execute(async (tx) => {
    const b = await tx.selectFrom('bills').selectAll().where('id', '=', billId).executeTakeFirstOrThrow();
    await tx.updateTable('bills').set({ late_fee_cents: Number(b.late_fee_cents) + cents, status: 'open', paid_at: null }).where('id', '=', billId).execute();
    await c.services.billing.ledger.post(tx, {
      communityId: b.community_id,
      kind: 'late_fee',
      refType: 'bill',
      refId: billId,
      actor: 'test',
      entries: [
        { account: 'receivable', subjectId: b.subject_id, amountCents: cents },
        { account: 'late_fee_revenue', subjectId: b.fee_item_id, amountCents: -cents },
      ],
    });
  });
}
