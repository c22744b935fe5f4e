import type { Bill, BillDetail } from '@courtyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, problem, signedIn } from '../properties/fixtures.js';
import { billingEstate, marchBill, sys } from './bills.fixtures.js';

let c: TestCourtyard;
let A: Awaited<ReturnType<typeof billingEstate>>;
let B: Awaited<ReturnType<typeof billingEstate>>;
let managerA: Client;
let cashierA: Client;
const runA = '0190c000-0000-7000-8000-00000000000a';
beforeAll(async () => {
  c = await startCourtyard();
  A = await billingEstate(c, 'BLA', 3);
  B = await billingEstate(c, 'BLB', 1);
  const issue = (communityId: string, billRunId: string | null, bills: ReturnType<typeof marchBill>[]) =>
    c.database.db.transaction().execute((tx) => c.services.billing.bills.issueMany(tx, sys, { communityId, billRunId, bills }));
  const april = (b: ReturnType<typeof marchBill>) => ({ ...b, periodStartOn: '2026-04-01', periodEndOn: '2026-04-30', periodLabel: '2026-04', dueOn: '2026-04-30' });
  await issue(A.communityId, runA, [
    marchBill(A.rooms[0]!, A.feeItems.property, 10_000),
    marchBill(A.rooms[0]!, A.feeItems.water, 2_000),
    marchBill(A.rooms[1]!, A.feeItems.property, 10_000),
    marchBill(A.rooms[2]!, A.feeItems.property, 10_000),
  ]);
  await issue(A.communityId, null, [april(marchBill(A.rooms[0]!, A.feeItems.property, 10_000))]);
  await issue(B.communityId, null, [marchBill(B.rooms[0]!, B.feeItems.property, 9_000)]);
  await makeUser(c, { username: 'mgr-a', role: 'property_manager', communityId: A.communityId });
  await makeUser(c, { username: 'cash-a', role: 'cashier', communityId: A.communityId });
  managerA = await signedIn(c, 'mgr-a');
  cashierA = await signedIn(c, 'cash-a');
});
afterAll(() => c.dispose());

const ids = (page: { items: Bill[] }) => page.items.map((b) => b.id);

describe('reading bills', () => {
  it("community A's staff see only A's bills, newest period first; B's bill is out of their scope", async () => {
    const page = await ok<{ items: Bill[]; nextCursor: string | null }>(cashierA.get('/api/bills'));
    expect(page.items).toHaveLength(5);
    expect(page.items.every((b) => b.communityId === A.communityId)).toBe(true);
    expect(page.items[0]).toMatchObject({ periodLabel: '2026-04', subjectCode: '1-1-101', feeItemName: '物业费', outstandingCents: 10_000, status: 'open' });
    const bBill = await c.database.db.selectFrom('bills').select('id').where('community_id', '=', B.communityId).executeTakeFirstOrThrow();
    expect((await problem(managerA.get(`/api/bills/${bBill.id}`))).code).toBe('auth.out_of_scope');
    expect((await problem(managerA.get(`/api/bills?communityId=${B.communityId}`))).code).toBe('auth.out_of_scope');
    expect((await problem(managerA.get(`/api/rooms/${B.rooms[0]!}/bills`))).code).toBe('auth.out_of_scope');
  });

  it('pages by keyset without losing or repeating a bill', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Bill[]; nextCursor: string | null } = await ok(managerA.get(`/api/bills?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await ok<{ items: Bill[] }>(managerA.get('/api/bills'));
    expect(seen).toEqual(ids(all));
    expect((await problem(managerA.get('/api/bills?cursor=bogus'))).fields).toEqual(['/querystring/cursor']);
  });

  it('filters by building, room, fee item, period, status and overdue', async () => {
    const q = async (query: string) => (await ok<{ items: Bill[] }>(managerA.get(`/api/bills?${query}`))).items;
    expect(await q(`buildingId=${A.buildingId}`)).toHaveLength(5);
    expect(await q(`roomId=${A.rooms[0]!}`)).toHaveLength(3);
    expect(await q(`feeItemId=${A.feeItems.water}`)).toHaveLength(1);
    expect(await q('periodLabel=2026-03')).toHaveLength(4);
    expect(await q('status=paid')).toHaveLength(0);
    // 2026-03-02 in the test clock: nothing is overdue yet; on 1 April (China) March's bills are.
    expect(await q('overdue=true')).toHaveLength(0);
    c.clock.set(new Date('2026-03-31T16:00:00.000Z'));
    // Four weeks later the sessions have ended: sign in again.
    managerA = await signedIn(c, 'mgr-a');
    cashierA = await signedIn(c, 'cash-a');
    const overdue = await q('overdue=true');
    expect(overdue.map((b) => b.periodLabel)).toEqual(['2026-03', '2026-03', '2026-03', '2026-03']);
    expect(overdue.every((b) => b.overdue)).toBe(true);
    expect(await q('overdue=false')).toHaveLength(1);
  });

  it("a bill explains itself and shows its ledger trail; the room card lists the room's bills", async () => {
    const [first] = (await ok<{ items: Bill[] }>(managerA.get(`/api/bills?roomId=${A.rooms[1]!}`))).items;
    const detail = await ok<BillDetail>(managerA.get(`/api/bills/${first!.id}`));
    expect(detail.explanation).toEqual({ v: 1, rule: 'fixed', cents: 10_000 });
    expect(detail.ledger).toEqual([
      expect.objectContaining({
        kind: 'bill_issue',
        refType: 'bill_run',
        refId: runA,
        // The run's call posted one transaction for three rooms: the trail keeps this room's
        // receivable entry and its fee item's revenue entry (the total of the call's property bills).
        entries: expect.arrayContaining([{ account: 'receivable', subjectId: A.rooms[1]!, amountCents: 10_000 }, { account: 'revenue', subjectId: A.feeItems.property, amountCents: -30_000 }]) as unknown,
      }),
    ]);
    // Nothing of the other rooms or fee items of that call.
    expect(detail.ledger[0]!.entries).toHaveLength(2);
    const card = await ok<{ items: Bill[] }>(cashierA.get(`/api/rooms/${A.rooms[0]!}/bills?status=open`));
    expect(card.items.map((b) => b.periodLabel)).toEqual(['2026-04', '2026-03', '2026-03']);
  });
});

describe('exporting bills (GET /api/exports/bills.xlsx|.csv, data-exchange)', () => {
  it("exports the bills list's filters as CSV in the caller's communities, with the same overdue decision, audited with the row count", async () => {
    // The clock is on 1 April (China) since the filter test: March's bills are overdue.
    const res = await managerA.request('GET', `/api/exports/bills.csv?feeItemId=${A.feeItems.property}&status=open`, undefined, { 'accept-language': 'zh-CN' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.rawPayload.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('小区,房屋/车位,收费项目,账期,账期开始,账期结束,到期日,应收（元）,优惠减免（元）,滞纳金（元）,已缴（元）,欠费（元）,状态,逾期,出账时间');
    // A's four property bills (three of March, one of April); B's bill is out of scope, the water bill filtered out.
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => [r[1], r[3], r[7], r[11], r[12], r[13]]).sort()).toEqual([
      ['1-1-101', '2026-03', '100.00', '100.00', '未缴', '是'],
      ['1-1-101', '2026-04', '100.00', '100.00', '未缴', '否'],
      ['1-1-102', '2026-03', '100.00', '100.00', '未缴', '是'],
      ['1-1-103', '2026-03', '100.00', '100.00', '未缴', '是'],
    ]);
    const overdue = (await managerA.get(`/api/exports/bills.csv?overdue=true`)).rawPayload.toString('utf8').split('\r\n').filter(Boolean);
    expect(overdue.length - 1).toBe((await ok<{ items: Bill[] }>(managerA.get('/api/bills?overdue=true'))).items.length);
    const audits = await c.database.db.selectFrom('audit_log').select('after_json').where('action', '=', 'data.export').orderBy('seq').execute();
    expect(audits.map((a) => JSON.parse(String(a.after_json)) as unknown)).toContainEqual(expect.objectContaining({ list: 'bills', format: 'csv', rowCount: 4, filters: { feeItemId: A.feeItems.property, status: 'open' } }));
  });

  it('exports .xlsx with English headers; another community is refused, and a cashier without data.export.run gets 403', async () => {
    const res = await managerA.request('GET', `/api/exports/bills.xlsx?communityId=${A.communityId}&periodLabel=2026-04`, undefined, { 'accept-language': 'en-US' });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as string[]).slice(1, 5)).toEqual(['Community', 'Room / space', 'Fee item', 'Period']);
    expect(ws.rowCount).toBe(2);
    expect([ws.getRow(2).getCell(2).text, ws.getRow(2).getCell(13).text]).toEqual(['1-1-101', 'Open']);
    expect((await problem(managerA.get(`/api/exports/bills.csv?communityId=${B.communityId}`))).code).toBe('auth.out_of_scope');
    expect((await cashierA.get('/api/exports/bills.csv')).statusCode).toBe(403);
  });
});
