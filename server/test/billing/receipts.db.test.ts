import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment, Refund } from '@courtyard/contracts';
import { Client, makeUser, PASSWORD, startCourtyard, type TestCourtyard } from '../harness.js';
import { issueBill, payOk, paymentsEstate, signIn, sys } from './payments.fixtures.js';

/** Receipt PDFs (收据打印): the text that matters is in the PDF, and a screenshot lands in server/test/artifacts/. */
let c: TestCourtyard;
let e: Awaited<ReturnType<typeof paymentsEstate>>;
let owner: Client;
let neighbour: Client;
const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');
const COMPANY = '锦绣家园物业服务有限公司';

async function ownerOf(roomId: string, username: string, name: string): Promise<Client> {
  const userId = await makeUser(c, { username, kind: 'owner', role: 'resident', communityId: e.communityId });
  const person = await e.manager.post('/api/persons', { communityId: e.communityId, kind: 'individual', name, userId });
  if (person.statusCode !== 201) throw new Error(person.body);
  const occ = await e.manager.post('/api/occupancies', { personId: person.json<{ id: string }>().id, roomId, relation: 'owner', movedInOn: '2024-01-01' });
  if (occ.statusCode !== 201) throw new Error(occ.body);
  return signIn(c, username);
}

/** pdftotext of the bytes (poppler-utils), `-layout` keeps a line of the receipt on one line. */
function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipt-'));
  try {
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
function pdfInfo(bytes: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'receipt-')), 'r.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdfinfo', [file], { encoding: 'utf8' });
}
/** The screenshot artefact: first page as PNG (pdftoppm). */
function screenshot(bytes: Buffer, name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}-${c.database.dialect}.pdf`);
  fs.writeFileSync(file, bytes);
  execFileSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-singlefile', file, file.replace(/\.pdf$/, '')]);
  return file.replace(/\.pdf$/, '.png');
}

let payment: Payment;
beforeAll(async () => {
  c = await startCourtyard();
  e = await paymentsEstate(c, 'RCP', 3);
  await c.services.settings.update(sys, 'organisation.profile', { name: COMPANY, address: '杭州市西湖区文三路 100 号', phone: '0571-88888888' });
  await makeUser(c, { username: 'tech_rcp', role: 'technician', communityId: e.communityId });
  owner = await ownerOf(e.rooms[0]!, 'owner_rcp', '王小明');
  neighbour = await ownerOf(e.rooms[1]!, 'owner_rcp2', '李四');
  await issueBill(c, e, e.rooms[0]!, 60_000, { label: '2026-01' });
  await issueBill(c, e, e.rooms[0]!, 63_456, { label: '2026-02' });
  // 1,234.56 settles both bills exactly; 1,334.56 leaves 100.00 prepaid.
  payment = await payOk(e.cashier, { communityId: e.communityId, roomId: e.rooms[0]!, amountCents: 133_456, method: 'cash', payerName: '王小明' });
});
afterAll(() => c.dispose());

describe('receipt PDF (收据)', () => {
  it('prints company, receipt number, date, payer, room, lines, total in figures and in capitals, method and cashier on A4', async () => {
    const res = await e.cashier.get(`/api/receipts/${payment.receiptId}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain(COMPANY);
    expect(text).toMatch(/收\s*款\s*收\s*据/);
    expect(text).toContain(payment.receiptNumber!);
    expect(text).toContain('小区 RCP');
    expect(text).toContain('王小明');
    expect(text).toContain('1-1-101');
    expect(text).toMatch(/物业费\s+2026-01\s+600\.00/);
    expect(text).toMatch(/物业费\s+2026-02\s+634\.56/);
    expect(text).toMatch(/预存款\s+—\s+100\.00/);
    expect(text).toContain('¥1,334.56');
    expect(text).toContain('人民币壹仟叁佰叁拾肆元伍角陆分');
    expect(text).toContain('收款方式：现金');
    expect(text).toMatch(/收款人：\S+/);
    expect(text).not.toContain('作废');
    expect(pdfInfo(bytes)).toMatch(/Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/);
    const png = screenshot(bytes, 'receipt-a4');
    expect(fs.statSync(png).size).toBeGreaterThan(10_000);
  });

  it('prints on 241 × 140 mm continuous paper, and renders the same bytes every time (the archive is the receipt row)', async () => {
    const first = await e.cashier.get(`/api/receipts/${payment.receiptId}/pdf?paper=continuous`);
    const again = await e.manager.get(`/api/receipts/${payment.receiptId}/pdf?paper=continuous`);
    expect(first.statusCode).toBe(200);
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(pdfInfo(first.rawPayload)).toMatch(/Page size:\s+683\.1\d* x 396\.8\d* pts/);
    const text = pdfText(first.rawPayload);
    expect(text).toContain(COMPANY);
    expect(text).toContain(payment.receiptNumber!);
    expect(text).toContain('人民币壹仟叁佰叁拾肆元伍角陆分');
    screenshot(first.rawPayload, 'receipt-continuous');
    expect((await e.cashier.get(`/api/receipts/${payment.receiptId}/pdf?paper=letter`)).statusCode).toBe(400);
  });

  it('continues many lines on further continuous pages with the total on the last', async () => {
    const room = e.rooms[2]!;
    for (let m = 1; m <= 8; m++) await issueBill(c, e, room, 10_000, { label: `2025-${String(m).padStart(2, '0')}` });
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 80_000, method: 'bank_card' });
    const res = await e.cashier.get(`/api/receipts/${p.receiptId}/pdf?paper=continuous`);
    expect(pdfInfo(res.rawPayload)).toMatch(/Pages:\s+2/);
    const text = pdfText(res.rawPayload);
    expect(text).toMatch(/第\s*2\s*\/\s*2\s*页/);
    expect(text).toContain('人民币捌佰元整');
    expect(text).toContain('收款方式：银行卡');
  });

  it('marks a voided receipt 作废 with the reason', async () => {
    const room = e.rooms[1]!;
    await issueBill(c, e, room, 5_000, { label: '2026-03' });
    const p = await payOk(e.cashier, { communityId: e.communityId, roomId: room, amountCents: 5_000, method: 'cash' });
    const req = await e.cashier.post(`/api/payments/${p.id}/reversal`, { reason: '收款金额录错' });
    expect(req.statusCode).toBe(201);
    expect((await e.manager.post(`/api/refunds/${req.json<Refund>().id}/decide`, { approve: true })).statusCode).toBe(200);
    const res = await e.cashier.get(`/api/receipts/${p.receiptId}/pdf`);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('作废');
    expect(text).toContain('收款金额录错');
    expect(text).toContain(p.receiptNumber!);
    screenshot(res.rawPayload, 'receipt-void');
  });

  it('is for whoever can read the payment, and for owners only their own receipts through the portal', async () => {
    const tech = await signIn(c, 'tech_rcp');
    expect((await tech.get(`/api/receipts/${payment.receiptId}/pdf`)).statusCode).toBe(403);
    expect((await owner.get(`/api/receipts/${payment.receiptId}/pdf`)).statusCode).toBe(403);
    const mine = await owner.get(`/api/portal/receipts/${payment.receiptId}/pdf`);
    expect(mine.statusCode).toBe(200);
    expect(pdfText(mine.rawPayload)).toContain(payment.receiptNumber!);
    expect((await neighbour.get(`/api/portal/receipts/${payment.receiptId}/pdf`)).statusCode).toBe(404);
    expect((await e.cashier.get(`/api/portal/receipts/${payment.receiptId}/pdf`)).statusCode).toBe(403);
    expect((await e.cashier.get('/api/receipts/01900000-0000-7000-8000-000000000000/pdf')).statusCode).toBe(404);
  });

  it('without a Chinese font answers a clear problem instead of crashing or printing boxes', async () => {
    const bare = await startCourtyard({ pdfFont: '/nonexistent/NotoSansCJK-Regular.ttc' });
    try {
      await makeUser(bare, { username: 'cashier_nofont', role: 'cashier' });
      const client = new Client(bare.app);
      await client.signIn('cashier_nofont', PASSWORD);
      const res = await client.get('/api/receipts/01900000-0000-7000-8000-000000000000/pdf');
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ code: string }>().code).toBe('billing.pdf_font_missing');
    } finally {
      await bare.dispose();
    }
  });
});
