import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ensureAdmin, seedDemo } from '../../src/seed/demo.js';
import { startCourtyard, type TestCourtyard } from '../harness.js';

/** The demo's billing (server/src/seed/billing.ts): what the cashier and owner journeys rely on. */
describe('demo seed: billing for 翠湖花园', () => {
  let c: TestCourtyard;
  beforeAll(async () => {
    c = await startCourtyard();
    await ensureAdmin(c.services, c.database.db, 'Seed#Admin-2026');
    expect(await seedDemo(c)).toBe(true);
  }, 120_000);
  afterAll(() => c.dispose());

  it('issues 2026-11 to every delivered room: two bills each, six rooms paid in cash', async () => {
    const rows = await c.database.db
      .selectFrom('bills as b')
      .innerJoin('rooms as r', 'r.id', 'b.room_id')
      .select(['r.code', 'b.status', 'b.period_label'])
      .select(sql<number>`count(*)`.as('n'))
      .groupBy(['r.code', 'b.status', 'b.period_label'])
      .execute();
    const of = (code: string) => rows.filter((r) => r.code === code).map((r) => ({ status: r.status, n: Number(r.n), period: r.period_label }));
    expect(of('1-1-1502')).toEqual([{ status: 'open', n: 2, period: '2026-11' }]);
    expect(of('1-1-1501')).toEqual([{ status: 'open', n: 2, period: '2026-11' }]);
    expect(of('1-1-101')).toEqual([{ status: 'paid', n: 2, period: '2026-11' }]);
    expect(rows.filter((r) => r.status === 'paid').length).toBe(6);
    const receipts = Number((await c.database.db.selectFrom('receipts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(receipts).toBe(6);
  });

  it('leaves the ledger check clean', async () => {
    expect(await c.services.billing.check.run()).toEqual([]);
  });
});
