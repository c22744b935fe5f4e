import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { billingEstate, marchBill, sys } from './bills.fixtures.js';

let c: TestCourtyard;
let estate: Awaited<ReturnType<typeof billingEstate>>;
beforeAll(async () => {
  c = await startCourtyard();
  estate = await billingEstate(c, 'BILL', 3);
});
afterAll(() => c.dispose());

const db = () => c.database.db;
const count = async (table: 'bills' | 'journal_transactions') => Number((await db().selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

describe('issuing bills', () => {
  const runId = '0190b000-0000-7000-8000-000000000001';

  it('inserts each bill once: a rerun of the same run creates nothing and says so', async () => {
    const [r1, r2, r3] = estate.rooms as [string, string, string];
    const { property, water } = estate.feeItems;
    const input = {
      communityId: estate.communityId,
      billRunId: runId,
      bills: [marchBill(r1, property, 12_345), marchBill(r1, water, 3_050), marchBill(r2, property, 12_345), marchBill(r3, property, 0)],
    };
    const first = await db().transaction().execute((tx) => c.services.billing.bills.issueMany(tx, sys, input));
    expect(first).toMatchObject({ inserted: 4, skipped: 0 });
    expect(first.subjectIds.sort()).toEqual([r1, r2, r3].sort());
    const txnsAfterFirst = await count('journal_transactions');

    const second = await db().transaction().execute((tx) => c.services.billing.bills.issueMany(tx, sys, input));
    expect(second).toMatchObject({ inserted: 0, skipped: 4, subjectIds: [] });
    expect(await count('bills')).toBe(4);
    expect(await count('journal_transactions')).toBe(txnsAfterFirst);
  });

  it('posts one balanced transaction per run call: Dr receivable per room, Cr revenue per fee item; the zero bill is settled at issue', async () => {
    const [r1, r2, r3] = estate.rooms as [string, string, string];
    const { property, water } = estate.feeItems;
    const issues = await db().selectFrom('journal_transactions').select(['id', 'ref_type', 'ref_id']).where('kind', '=', 'bill_issue').execute();
    expect(issues).toHaveLength(1);
    expect(issues.every((t) => t.ref_type === 'bill_run' && t.ref_id === runId)).toBe(true);
    const entries = await db().selectFrom('journal_entries').select(['account', 'subject_id', 'amount_cents']).where('transaction_id', '=', issues[0]!.id).execute();
    // r3's bill is zero: it has no entry.
    expect(entries.map((e) => [e.account, e.subject_id, Number(e.amount_cents)]).sort()).toEqual(
      [['receivable', r1, 15_395], ['receivable', r2, 12_345], ['revenue', property, -24_690], ['revenue', water, -3_050]].sort(),
    );
    const ledger = c.services.billing.ledger;
    expect(await ledger.balances(db(), estate.communityId, 'receivable', [r1, r2, r3])).toEqual(new Map([[r1, 15_395], [r2, 12_345], [r3, 0]]));
    expect(await ledger.balances(db(), estate.communityId, 'revenue', [property, water])).toEqual(new Map([[property, -24_690], [water, -3_050]]));
    expect(await ledger.check(db())).toEqual([]);
    const zero = await db().selectFrom('bills').select(['status', 'paid_at']).where('subject_id', '=', r3).executeTakeFirstOrThrow();
    expect(zero).toEqual({ status: 'paid', paid_at: c.clock.now().toISOString() });
  });

  it('audits one record per call with the counts', async () => {
    const rows = await db().selectFrom('audit_log').select(['after_json']).where('action', '=', 'billing.bill.issue').execute();
    expect(rows.map((r) => JSON.parse(r.after_json ?? 'null') as unknown)).toEqual([
      { inserted: 4, skipped: 0, totalCents: 27_740 },
      { inserted: 0, skipped: 4, totalCents: 0 },
    ]);
  });

  it('refuses a fee item of another community and writes nothing', async () => {
    const other = await billingEstate(c, 'BIL2', 1);
    const before = await count('bills');
    await expect(
      db().transaction().execute((tx) => c.services.billing.bills.issueMany(tx, sys, { communityId: estate.communityId, bills: [marchBill(estate.rooms[0]!, other.feeItems.property, 100)] })),
    ).rejects.toMatchObject({ code: 'billing.fee_item_unknown' });
    expect(await count('bills')).toBe(before);
  });

  it('issues a one-off bill once per caller key, posting it on its own', async () => {
    const bill = { ...marchBill(estate.rooms[1]!, estate.feeItems.property, 8_800), communityId: estate.communityId, source: 'service' as const, uniqueKey: 'service:wo-1' };
    const a = await db().transaction().execute((tx) => c.services.billing.bills.issueOne(tx, sys, bill));
    const b = await db().transaction().execute((tx) => c.services.billing.bills.issueOne(tx, sys, bill));
    expect(a.inserted).toBe(true);
    expect(b).toEqual({ id: a.id, inserted: false });
    const posted = await db().selectFrom('journal_transactions').select('id').where('ref_type', '=', 'bill').where('ref_id', '=', a.id).execute();
    expect(posted).toHaveLength(1);
    expect(await c.services.billing.ledger.check(db())).toEqual([]);
  });
});

describe('cancelling a bill run', () => {
  it('reverses the run postings, cancels its bills, and leaves the ledger clean', async () => {
    const runId = '0190b000-0000-7000-8000-000000000002';
    const [r1, r2] = estate.rooms as [string, string];
    const { property } = estate.feeItems;
    const ledger = c.services.billing.ledger;
    const before = await ledger.balances(db(), estate.communityId, 'receivable', [r1, r2]);
    const april = (room: string) => ({ ...marchBill(room, property, 10_000), periodStartOn: '2026-04-01', periodEndOn: '2026-04-30', periodLabel: '2026-04', dueOn: '2026-04-30' });
    await db().transaction().execute((tx) => c.services.billing.bills.issueMany(tx, sys, { communityId: estate.communityId, billRunId: runId, bills: [april(r1), april(r2)] }));

    const res = await db().transaction().execute((tx) => c.services.billing.bills.cancelRun(tx, sys, runId));
    expect(res).toEqual({ cancelled: 2 });
    expect(await ledger.balances(db(), estate.communityId, 'receivable', [r1, r2])).toEqual(before);
    const statuses = await db().selectFrom('bills').select('status').where('bill_run_id', '=', runId).execute();
    expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    const reversals = await db().selectFrom('journal_transactions').select('id').where('kind', '=', 'bill_cancel').where('ref_id', '=', runId).execute();
    // One reversal for the run, shaped as its issue: receivable per room, revenue per fee item.
    expect(reversals).toHaveLength(1);
    expect(await ledger.check(db())).toEqual([]);
    // Cancelling again changes nothing.
    expect(await db().transaction().execute((tx) => c.services.billing.bills.cancelRun(tx, sys, runId))).toEqual({ cancelled: 0 });
  });

  it('refuses to cancel a run one of whose bills has been paid, changing nothing', async () => {
    const runId = '0190b000-0000-7000-8000-000000000003';
    const room = estate.rooms[2]!;
    const bill = { ...marchBill(room, estate.feeItems.water, 5_000), periodLabel: '2026-05', periodStartOn: '2026-05-01', periodEndOn: '2026-05-31', dueOn: '2026-05-31' };
    const { billIds } = await db().transaction().execute((tx) => c.services.billing.bills.issueMany(tx, sys, { communityId: estate.communityId, billRunId: runId, bills: [bill] }));
    // What the payments part does when it allocates (its own SQL): paid_cents moves.
    await db().updateTable('bills').set({ paid_cents: 1 }).where('id', '=', billIds[0]!).execute();
    await expect(db().transaction().execute((tx) => c.services.billing.bills.cancelRun(tx, sys, runId))).rejects.toMatchObject({ code: 'billing.run_has_payments' });
    const row = await db().selectFrom('bills').select('status').where('id', '=', billIds[0]!).executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
  });

  it('the database refuses a bill paid beyond what is due', async () => {
    await expect(db().updateTable('bills').set({ paid_cents: 1_000_000 }).where('subject_id', '=', estate.rooms[0]!).execute()).rejects.toThrow();
  });
});
