import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../src/modules/billing/index.js';
import { makeCommunity, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
let ledger: Ledger;
let community: string;
beforeAll(async () => {
  c = await startCourtyard();
  ledger = createLedger({ ids: c.ids, clock: c.clock });
  community = await makeCommunity(c, 'LEDG');
});
afterAll(() => c.dispose());

const db = () => c.database.db;
const room = '0190a000-0000-7000-8000-000000000001';
const feeItem = '0190a000-0000-7000-8000-0000000000f1';

describe('the ledger', () => {
  it('posts a balanced transaction and keeps each account balance equal to its entries', async () => {
    await db().transaction().execute(async (tx) => {
      await ledger.post(tx, {
        communityId: community, kind: 'bill_issue', refType: 'bill', refId: room, actor: 'test',
        entries: [{ account: 'receivable', subjectId: room, amountCents: 12_345 }, { account: 'revenue', subjectId: feeItem, amountCents: -12_345 }],
      });
      await ledger.post(tx, {
        communityId: community, kind: 'payment', refType: 'payment', refId: room, actor: 'test',
        entries: [{ account: 'cash', subjectId: '', amountCents: 20_000 }, { account: 'prepaid', subjectId: room, amountCents: -20_000 }],
      });
    });
    expect(await ledger.balances(db(), community, 'receivable', [room])).toEqual(new Map([[room, 12_345]]));
    expect(await ledger.balances(db(), community, 'prepaid', [room])).toEqual(new Map([[room, -20_000]]));
    expect(await ledger.check(db())).toEqual([]);
  });

  it('refuses a transaction that does not balance or has a single entry, writing nothing', async () => {
    const before = await db().selectFrom('journal_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await expect(
      db().transaction().execute((tx) =>
        ledger.post(tx, { communityId: community, kind: 'payment', refType: 'payment', refId: room, actor: 'test', entries: [{ account: 'cash', subjectId: '', amountCents: 100 }, { account: 'prepaid', subjectId: room, amountCents: -99 }] }),
      ),
    ).rejects.toThrow(/does not balance/);
    await expect(
      db().transaction().execute((tx) => ledger.post(tx, { communityId: community, kind: 'payment', refType: 'payment', refId: room, actor: 'test', entries: [{ account: 'cash', subjectId: '', amountCents: 0 }] })),
    ).rejects.toThrow(/fewer than two/);
    const after = await db().selectFrom('journal_entries').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses, in the database, a prepaid balance that would turn into a debt', async () => {
    await expect(
      db().transaction().execute((tx) =>
        ledger.post(tx, { communityId: community, kind: 'refund', refType: 'refund', refId: room, actor: 'test', entries: [{ account: 'prepaid', subjectId: room, amountCents: 20_001 }, { account: 'cash', subjectId: '', amountCents: -20_001 }] }),
      ),
    ).rejects.toThrow();
    expect(await ledger.balances(db(), community, 'prepaid', [room])).toEqual(new Map([[room, -20_000]]));
  });

  it('keeps journal entries append-only: no update, no delete', async () => {
    await expect(sql`update journal_entries set amount_cents = 0`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from journal_transactions`.execute(db())).rejects.toThrow(/append-only/);
  });

  it('reports a stored balance that no longer matches its entries', async () => {
    await sql`update ledger_balances set balance_cents = balance_cents + 1 where account = 'receivable'`.execute(db());
    const problems = await ledger.check(db());
    expect(problems).toEqual([expect.objectContaining({ check: 'balance_mismatch' })]);
    await sql`update ledger_balances set balance_cents = balance_cents - 1 where account = 'receivable'`.execute(db());
    expect(await ledger.check(db())).toEqual([]);
  });
});
