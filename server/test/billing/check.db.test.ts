import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerCheckCommand } from '../../src/modules/billing/index.js';
import { dialect, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { ok, signedIn } from '../properties/fixtures.js';
import { billingEstate, marchBill, sys } from './bills.fixtures.js';

let c: TestCourtyard;
let A: Awaited<ReturnType<typeof billingEstate>>;
let bill: string;
let manager: string;
beforeAll(async () => {
  c = await startCourtyard();
  A = await billingEstate(c, 'CHK', 2);
  const res = await c.database.db.transaction().execute((tx) =>
    c.services.billing.bills.issueMany(tx, sys, { communityId: A.communityId, bills: [marchBill(A.rooms[0]!, A.feeItems.property, 10_000), marchBill(A.rooms[1]!, A.feeItems.water, 3_000)] }),
  );
  bill = res.billIds[0]!;
  manager = await makeUser(c, { username: 'mgr-chk', role: 'property_manager', communityId: A.communityId });
});
afterAll(() => c.dispose());

const db = () => c.database.db;
const checks = async () => [...new Set((await c.services.billing.check.run()).map((p) => p.check))].sort();
/** Runs a corrupting statement, sees what the check says, then undoes it. */
async function corrupt(statement: string, undo: string) {
  await sql.raw(statement).execute(db());
  const found = await checks();
  await sql.raw(undo).execute(db());
  return found;
}

describe('the billing ledger check', () => {
  it('is clean after issuing; the command prints so and exits 0', async () => {
    expect(await c.services.billing.check.run()).toEqual([]);
    const out: string[] = [];
    expect(await ledgerCheckCommand(c.services.billing.check, (l) => out.push(l), (l) => out.push(l))).toBe(0);
    expect(out).toEqual(['ledger check clean: every billing invariant holds']);
  });

  it("fires when a bill's paid amount is not its allocations (and its receivable no longer matches)", async () => {
    expect(await corrupt(`update bills set paid_cents = 100 where id = '${bill}'`, `update bills set paid_cents = 0 where id = '${bill}'`)).toEqual(['bill_paid_mismatch', 'receivable_mismatch']);
  });

  it("fires when a subject's receivable is not what its bills owe", async () => {
    expect(await corrupt(`update bills set late_fee_cents = 7 where id = '${bill}'`, `update bills set late_fee_cents = 0 where id = '${bill}'`)).toEqual(['receivable_mismatch']);
  });

  it('fires when a bill is paid beyond what is due (past the database constraint)', async () => {
    // Only by switching the constraint off can the row get there: the check is the second line.
    if (dialect === 'postgres') await sql`alter table bills drop constraint bills_paid_within_due`.execute(db());
    else await sql`pragma ignore_check_constraints = on`.execute(db());
    const found = await corrupt(`update bills set paid_cents = 20000 where id = '${bill}'`, `update bills set paid_cents = 0 where id = '${bill}'`);
    if (dialect === 'sqlite') await sql`pragma ignore_check_constraints = off`.execute(db());
    expect(found).toEqual(['bill_overpaid', 'bill_paid_mismatch', 'receivable_mismatch']);
  });

  it('fires on a prepaid balance in the owner’s debt and a stored balance that is not its entries; the command exits 1 with a listing', async () => {
    // Written around the ledger (no balance row update): journal rows are append-only, so this stays.
    const txn = c.ids();
    const at = c.clock.now().toISOString();
    await db().insertInto('journal_transactions').values({ id: txn, community_id: A.communityId, kind: 'refund', ref_type: 'test', ref_id: txn, memo: null, actor: 'test', occurred_at: at }).execute();
    await db()
      .insertInto('journal_entries')
      .values([
        { id: c.ids(), transaction_id: txn, community_id: A.communityId, account: 'prepaid', subject_id: A.rooms[0]!, amount_cents: 500 },
        { id: c.ids(), transaction_id: txn, community_id: A.communityId, account: 'cash', subject_id: '', amount_cents: -500 },
      ])
      .execute();
    expect(await checks()).toEqual(['balance_mismatch', 'prepaid_negative']);
    const out: string[] = [];
    expect(await ledgerCheckCommand(c.services.billing.check, (l) => out.push(l), (l) => out.push(l))).toBe(1);
    expect(out.at(-1)).toMatch(/^LEDGER CHECK FAILED: \d+ problem/);
    expect(out.some((l) => l.startsWith('prepaid_negative\t'))).toBe(true);
  });

  it('the daily job records the failure loudly: audit record and a notification to the managers', async () => {
    const problems = await c.services.billing.check.daily();
    expect(problems.length).toBeGreaterThan(0);
    const audit = await db().selectFrom('audit_log').select(['result']).where('action', '=', 'billing.ledger.check_failed').execute();
    expect(audit).toEqual([{ result: 'failure' }]);
    const sent = await db().selectFrom('notification_messages').select(['template', 'channel']).where('user_id', '=', manager).execute();
    // In-app always; email only for users with an address (this one has none).
    expect(sent.map((m) => m.channel)).toContain('in_app');
    expect(sent.every((m) => m.template === 'billing.ledger_check_failed')).toBe(true);
    const schedule = await db().selectFrom('cron_schedules').select('job_type').where('name', '=', 'billing.ledger_check').executeTakeFirstOrThrow();
    expect(schedule.job_type).toBe('billing.ledger_check');
  });

  it('answers GET /api/ledger/check to a holder of billing.ledger.check over all communities only (it reads them all)', async () => {
    expect((await (await signedIn(c, 'mgr-chk')).get('/api/ledger/check')).statusCode).toBe(403);
    await makeUser(c, { username: 'mgr-all', role: 'property_manager' });
    const client = await signedIn(c, 'mgr-all');
    const res = await ok<{ ok: boolean; problems: { check: string }[] }>(client.get('/api/ledger/check'));
    expect(res.ok).toBe(false);
  });
});
