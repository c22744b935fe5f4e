import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '@courtyard/contracts';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { bill, invariants, issueBill, key, pay, paymentsEstate, prepaidBalance } from './payments.fixtures.js';

let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'IDEM', 4);
});
afterAll(() => c.dispose());

const countPayments = async (roomId: string) =>
  Number((await c.database.db.selectFrom('payments').select(sql<number>`count(*)`.as('n')).where('subject_id', '=', roomId).executeTakeFirstOrThrow()).n);

describe('idempotency keys on payment requests', () => {
  it('the same key with the same body replays the first answer byte for byte and takes the money once', async () => {
    const room = e.rooms[0]!;
    await issueBill(c, e, room, 7_000);
    const k = key();
    const body = { communityId: e.communityId, roomId: room, amountCents: 10_000, method: 'cash', payerName: '李四' };
    const first = await pay(e.cashier, body, k);
    c.clock.advance(60_000);
    // Field order does not matter: the request is hashed in canonical form.
    const again = await pay(e.cashier, { payerName: '李四', method: 'cash', amountCents: 10_000, roomId: room, communityId: e.communityId }, k);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect([first.headers['idempotent-replayed'], again.headers['idempotent-replayed']]).toEqual(['false', 'true']);
    expect(await countPayments(room)).toBe(1);
    expect(await prepaidBalance(c, e.communityId, room)).toBe(3_000);
  });

  it('the same key with a different body is refused with billing.idempotency_conflict and changes nothing', async () => {
    const room = e.rooms[1]!;
    const k = key();
    const first = await pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 500, method: 'cash' }, k);
    const other = await pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 501, method: 'cash' }, k);
    expect(first.statusCode).toBe(201);
    expect([other.statusCode, other.json<{ code: string }>().code]).toEqual([422, 'billing.idempotency_conflict']);
    expect(await countPayments(room)).toBe(1);
  });

  it('keys belong to the caller: another cashier using the same key makes a payment of their own', async () => {
    const room = e.rooms[1]!;
    const k = key();
    const body = { communityId: e.communityId, roomId: room, amountCents: 100, method: 'cash' };
    const a = await pay(e.cashier, body, k);
    const b = await pay(e.cashier2, body, k);
    expect(a.json<Payment>().id).not.toBe(b.json<Payment>().id);
  });

  it('a refused request stores nothing under its key: corrected, it can be sent again with the same key', async () => {
    const room = e.rooms[2]!;
    const k = key();
    const bad = await pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 100, method: 'prepaid' }, k);
    expect(bad.statusCode).toBe(409);
    const retry = await pay(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 100, method: 'prepaid' }, k);
    expect(retry.statusCode).toBe(409);
    const stored = await c.database.db.selectFrom('idempotency_keys').select('key').where('key', '=', k).execute();
    expect(stored).toEqual([]);
  });

  it('50 concurrent requests with one key: exactly one payment, 50 identical answers', async () => {
    const room = e.rooms[3]!;
    const b = await issueBill(c, e, room, 20_000);
    const k = key();
    const body = { communityId: e.communityId, roomId: room, amountCents: 8_000, method: 'cash' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => pay(e.cashier, body, k)));
    expect(new Set(answers.map((a) => a.statusCode))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    expect(await countPayments(room)).toBe(1);
    expect(await bill(c, b)).toEqual({ paid: 8_000, status: 'open' });
    expect(await invariants(c)).toEqual([]);
  });

  it('the stored answer cannot be rewritten in the database', async () => {
    const row = await c.database.db.selectFrom('idempotency_keys').select(['scope', 'key']).where('status', '=', 'completed').executeTakeFirstOrThrow();
    await expect(c.database.db.updateTable('idempotency_keys').set({ response_body: '{}' }).where('scope', '=', row.scope).where('key', '=', row.key).execute()).rejects.toThrow(/append-only/);
    await expect(c.database.db.deleteFrom('idempotency_keys').where('scope', '=', row.scope).where('key', '=', row.key).execute()).rejects.toThrow(/append-only/);
  });
});
