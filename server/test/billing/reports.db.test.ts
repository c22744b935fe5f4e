import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportTable } from '@courtyard/contracts';
import { startCourtyard, type TestCourtyard } from '../harness.js';
import { rateBp } from '../../src/modules/billing/reports.js';
import { issueBill, key, payOk, paymentsEstate } from './payments.fixtures.js';

/** Billing reports: daily cash, collection rate, arrears ageing, prepaid balances; JSON, .xlsx and .pdf. */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'RPT', 3);
  const [r0, r1, r2] = e.rooms as [string, string, string];
  // Period 2026-02, due 2026-02-28 (2 days overdue on 2026-03-02, the harness's day).
  await issueBill(c, e, r0, 10_000, { label: '2026-02', dueOn: '2026-02-28' });
  await issueBill(c, e, r1, 20_000, { label: '2026-02', dueOn: '2026-02-28' });
  await issueBill(c, e, r2, 30_000, { label: '2026-02', dueOn: '2026-02-28', feeItemId: e.feeItems.water });
  await payOk(e.cashier, { communityId: e.communityId, roomId: r0, amountCents: 10_000, method: 'cash' });
  await payOk(e.cashier, { communityId: e.communityId, roomId: r1, amountCents: 10_000, method: 'bank_card' });
  await payOk(e.cashier2, { communityId: e.communityId, roomId: r0, amountCents: 5_000, method: 'cash' }); // → prepaid
  const res = await e.cashier2.request('POST', '/api/prepaid/top-ups', { communityId: e.communityId, roomId: r2, amountCents: 2_000, method: 'cash' }, { 'idempotency-key': key() });
  if (res.statusCode !== 201) throw new Error(res.body);
});
afterAll(() => c.dispose());

const get = async (url: string) => {
  const res = await e.manager.get(url);
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res;
};

describe('billing reports', () => {
  it('rate in basis points is exact integer arithmetic, half-up', () => {
    expect(rateBp(1, 3)).toBe(3333);
    expect(rateBp(2, 3)).toBe(6667);
    expect(rateBp(5, 0)).toBeNull();
    expect(rateBp(10_000, 10_000)).toBe(10_000);
  });

  it('daily cash report (收款日报): by cashier and method, with a total; prepaid deductions are not cash', async () => {
    const t = (await get(`/api/reports/cash?communityId=${e.communityId}&on=2026-03-02`)).json<ReportTable>();
    expect(t.rows).toEqual([
      expect.objectContaining({ cashier: expect.stringMatching(/^cashier_rpt|^cashier2_rpt/) as unknown, method: expect.any(String) as unknown }),
      expect.anything(),
      expect.anything(),
      { cashier: '合计', method: '', count: 4, amount: 27_000, reversed: 0, net: 27_000 },
    ]);
    const byKey = t.rows.slice(0, 3).map((r) => [r.cashier, r.method, r.count, r.amount]).sort();
    expect(byKey).toEqual(
      [
        ['cashier2_rpt', '现金', 2, 7_000],
        ['cashier_rpt', '现金', 1, 10_000],
        ['cashier_rpt', '银行卡', 1, 10_000],
      ].sort(),
    );
    const other = (await get(`/api/reports/cash?communityId=${e.communityId}&on=2026-03-01`)).json<ReportTable>();
    expect(other.rows).toEqual([{ cashier: '合计', method: '', count: 0, amount: 0, reversed: 0, net: 0 }]);
  });

  it('collection rate (收缴率) of a period by fee item and by building, and per period of a year', async () => {
    const byItem = (await get(`/api/reports/collection?communityId=${e.communityId}&periodLabel=2026-02`)).json<ReportTable>();
    expect(byItem.rows).toEqual([
      { label: '水费', bills: 1, due: 30_000, paid: 0, owed: 30_000, rate: 0 },
      { label: '物业费', bills: 2, due: 30_000, paid: 20_000, owed: 10_000, rate: 6667 },
      { label: '合计', bills: 3, due: 60_000, paid: 20_000, owed: 40_000, rate: 3333 },
    ]);
    const byBuilding = (await get(`/api/reports/collection?communityId=${e.communityId}&periodLabel=2026-02&by=building`)).json<ReportTable>();
    expect(byBuilding.rows[0]).toEqual({ label: '1号楼', bills: 3, due: 60_000, paid: 20_000, owed: 40_000, rate: 3333 });
    const byPeriod = (await get(`/api/reports/collection?communityId=${e.communityId}&periodLabel=2026&by=period`)).json<ReportTable>();
    expect(byPeriod.rows).toEqual([
      { label: '2026-02', bills: 3, due: 60_000, paid: 20_000, owed: 40_000, rate: 3333 },
      { label: '合计', bills: 3, due: 60_000, paid: 20_000, owed: 40_000, rate: 3333 },
    ]);
  });

  it('arrears ageing per room and prepaid balances', async () => {
    const ageing = (await get(`/api/reports/ageing?communityId=${e.communityId}`)).json<ReportTable>();
    expect(ageing.rows.map((r) => [r.label, r['0-30'], r.total])).toEqual([
      ['1-1-103', 30_000, 30_000],
      ['1-1-102', 10_000, 10_000],
      ['合计', 40_000, 40_000],
    ]);
    const prepaid = (await get(`/api/reports/prepaid?communityId=${e.communityId}`)).json<ReportTable>();
    expect(prepaid.rows).toEqual([
      { label: '1-1-101', balance: 5_000 },
      { label: '1-1-103', balance: 2_000 },
      { label: '合计', balance: 7_000 },
    ]);
  });

  it('exports the same table as .xlsx (numbers Excel can sum) and .pdf (Chinese text)', async () => {
    const x = await get(`/api/reports/collection.xlsx?communityId=${e.communityId}&periodLabel=2026-02`);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toEqual([undefined, '收费项目', '账单数', '应收', '实收', '未收', '收缴率']);
    expect(ws.getRow(5).values).toEqual([undefined, '合计', 3, 600, 200, 400, 0.3333]);
    const p = await get(`/api/reports/collection.pdf?communityId=${e.communityId}&periodLabel=2026-02`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `report-collection-${c.database.dialect}.pdf`);
    fs.writeFileSync(file, p.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('收缴率');
    expect(text).toMatch(/合计\s+3\s+600\.00\s+200\.00\s+400\.00\s+33\.33%/);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', file, file.replace(/\.pdf$/, '')]);
    const cash = await get(`/api/reports/cash.pdf?communityId=${e.communityId}&on=2026-03-02`);
    expect(cash.headers['content-type']).toBe('application/pdf');
  });

  it('needs billing.report.read in the community', async () => {
    expect((await e.cashier.get(`/api/reports/cash?communityId=${e.communityId}&on=2026-03-02`)).statusCode).toBe(403);
    expect((await e.cashier.get(`/api/reports/prepaid.xlsx?communityId=${e.communityId}`)).statusCode).toBe(403);
  });
});
