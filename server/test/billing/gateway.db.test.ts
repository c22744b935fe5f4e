import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayOrder, Payment, PortalBillList } from '@courtyard/contracts';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { bill, invariants, issueBill, key, paymentsEstate, signIn } from './payments.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
let owner: Client;
let neighbour: Client;

/** An owner account linked to a person who lives in the room (the portal's "my home"). */
async function ownerOf(roomId: string, username: string, name: string): Promise<Client> {
  const userId = await makeUser(c, { username, kind: 'owner', role: 'resident', communityId: e.communityId });
  const person = await e.manager.post('/api/persons', { communityId: e.communityId, kind: 'individual', name, userId });
  if (person.statusCode !== 201) throw new Error(person.body);
  const occ = await e.manager.post('/api/occupancies', { personId: person.json<{ id: string }>().id, roomId, relation: 'owner', movedInOn: '2024-01-01' });
  if (occ.statusCode !== 201) throw new Error(occ.body);
  return signIn(c, username);
}

beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'GW', 4);
  owner = await ownerOf(e.rooms[0]!, 'owner_gw', '业主甲');
  neighbour = await ownerOf(e.rooms[1]!, 'owner_gw2', '业主乙');
});
afterAll(() => c.dispose());

const deliver = (cb: { headers: Record<string, string>; body: string }) => c.app.inject({ method: 'POST', url: '/api/payments/gateway/callback', headers: cb.headers, payload: cb.body });
const paymentsOfOrder = async (orderId: string) =>
  Number((await c.database.db.selectFrom('payments').select(sql<number>`count(*)`.as('n')).where('gateway_order_id', '=', orderId).executeTakeFirstOrThrow()).n);

describe('owner portal and online payment through the sandbox gateway', () => {
  it('an owner sees the bills of the rooms they live in, with explanations, and never another owner’s', async () => {
    await issueBill(c, e, e.rooms[0]!, 11_000, { label: '2026-01' });
    await issueBill(c, e, e.rooms[0]!, 12_000, { label: '2026-02' });
    await issueBill(c, e, e.rooms[1]!, 99_900, { label: '2026-01' });
    const mine = (await owner.get('/api/portal/bills')).json<PortalBillList>();
    expect(mine.items.map((b) => [b.subjectLabel, b.periodLabel, b.outstandingCents])).toEqual([
      ['1-1-101', '2026-02', 12_000],
      ['1-1-101', '2026-01', 11_000],
    ]);
    expect(mine.items[0]!.explanation).toEqual({ v: 1, rule: 'fixed', cents: 12_000 });
    const theirs = (await neighbour.get('/api/portal/bills')).json<PortalBillList>();
    expect(theirs.items.map((b) => b.amountCents)).toEqual([99_900]);
    const steal = await neighbour.request('POST', '/api/portal/payments', { roomId: e.rooms[0]! }, { 'idempotency-key': key() });
    expect(steal.statusCode).toBe(403);
    expect((await e.cashier.get('/api/portal/bills')).statusCode).toBe(403);
  });

  it('pays online: the order covers the open bills; the signed callback settles them once, even delivered twice', async () => {
    const k = key();
    const res = await owner.request('POST', '/api/portal/payments', { roomId: e.rooms[0]! }, { 'idempotency-key': k });
    expect(res.statusCode).toBe(201);
    const order = res.json<GatewayOrder>();
    expect(order).toMatchObject({ amountCents: 23_000, status: 'created', paymentId: null });
    expect(order.payUrl).toContain(order.outTradeNo);
    const replay = await owner.request('POST', '/api/portal/payments', { roomId: e.rooms[0]! }, { 'idempotency-key': k });
    expect(replay.json<GatewayOrder>().id).toBe(order.id);

    const cb = c.services.billing.sandboxGateway.pay(order.outTradeNo);
    const [first, second] = [await deliver(cb), await deliver(cb)];
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(first.json()).toEqual({ code: 'SUCCESS', message: '成功' });
    expect(await paymentsOfOrder(order.id)).toBe(1);
    const paid = (await owner.get('/api/portal/bills?status=paid')).json<PortalBillList>();
    expect(paid.items.map((b) => b.outstandingCents)).toEqual([0, 0]);
    const history = (await owner.get('/api/portal/payments')).json<{ items: Payment[] }>();
    expect(history.items.map((p) => [p.method, p.amountCents, p.allocatedCents])).toEqual([['online', 23_000, 23_000]]);
    const receipts = (await owner.get('/api/portal/receipts')).json<{ items: { id: string; number: string }[] }>();
    expect(receipts.items).toHaveLength(1);
    expect((await owner.get(`/api/portal/receipts/${receipts.items[0]!.id}`)).statusCode).toBe(200);
    expect((await neighbour.get(`/api/portal/receipts/${receipts.items[0]!.id}`)).statusCode).toBe(404);
    expect(await invariants(c)).toEqual([]);
  });

  it('out of order: a late "closed" notice does not undo a payment; money arriving after "closed" is still applied once', async () => {
    const b = await issueBill(c, e, e.rooms[0]!, 5_000, { label: '2026-03' });
    const order = (await owner.request('POST', '/api/portal/payments', { roomId: e.rooms[0]!, billIds: [b] }, { 'idempotency-key': key() })).json<GatewayOrder>();
    const sandbox = c.services.billing.sandboxGateway;
    const closed = JSON.stringify({ outTradeNo: order.outTradeNo, gatewayTradeNo: null, status: 'closed', amountCents: 5_000, paidAt: null });
    expect((await deliver({ headers: sandbox.sign(closed), body: closed })).statusCode).toBe(200);
    const paid = sandbox.pay(order.outTradeNo);
    expect((await deliver(paid)).statusCode).toBe(200);
    expect((await deliver({ headers: sandbox.sign(closed), body: closed })).statusCode).toBe(200);
    expect((await deliver(paid)).statusCode).toBe(200);
    expect(await paymentsOfOrder(order.id)).toBe(1);
    expect(await bill(c, b)).toEqual({ paid: 5_000, status: 'paid' });
    const row = await c.database.db.selectFrom('gateway_orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('paid');
  });

  it('refuses a forged signature (401) and an amount that differs from the order (409, audited), applying nothing', async () => {
    const b = await issueBill(c, e, e.rooms[0]!, 7_700, { label: '2026-04' });
    const order = (await owner.request('POST', '/api/portal/payments', { roomId: e.rooms[0]!, billIds: [b] }, { 'idempotency-key': key() })).json<GatewayOrder>();
    const sandbox = c.services.billing.sandboxGateway;
    const good = sandbox.pay(order.outTradeNo);
    const tampered = good.body.replace('"amountCents":7700', '"amountCents":1');
    const forged = await deliver({ headers: good.headers, body: tampered });
    expect([forged.statusCode, forged.json<{ code: string }>().code]).toEqual([401, 'billing.gateway_signature']);
    const wrongAmount = sandbox.pay(order.outTradeNo, { amountCents: 1 });
    const refused = await deliver(wrongAmount);
    expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([409, 'billing.gateway_amount_mismatch']);
    expect(await paymentsOfOrder(order.id)).toBe(0);
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('action', '=', 'billing.gateway.amount_mismatch').execute();
    expect(audit).toHaveLength(1);
    // The demo pay page settles it properly.
    const viaPage = await owner.post(`/api/payments/gateway/sandbox/${order.outTradeNo}/pay`);
    expect(viaPage.json<GatewayOrder>()).toMatchObject({ status: 'paid' });
    expect(await bill(c, b)).toEqual({ paid: 7_700, status: 'paid' });
    expect(await invariants(c)).toEqual([]);
  });
});
