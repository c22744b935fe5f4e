import { chineseCapitalAmount, yuanFigures } from './amount-in-words.js';
import type { PdfFont } from './font.js';
import { chinaDate, chinaDateTime, MM, newDocument, toBuffer, watermark, type Paper } from './pdf.js';

/** Everything printed on a receipt (收据), already resolved to text. */
export interface ReceiptPrint {
  companyName: string;
  companyAddress: string;
  companyPhone: string;
  communityName: string;
  number: string;
  issuedAt: string;
  payerName: string | null;
  subjectLabel: string;
  lines: { feeItemName: string; periodLabel: string; amountCents: number }[];
  totalCents: number;
  method: string;
  cashierName: string;
  status: 'issued' | 'void';
  voidedAt: string | null;
  voidReason: string | null;
  reissueOfNumber: string | null;
}

export const METHOD_LABELS: Record<string, string> = {
  cash: '现金',
  bank_card: '银行卡',
  bank_transfer: '银行转账',
  online: '在线支付',
  prepaid: '预存款抵扣',
};

/** Rows of the lines table that fit one page, by paper (the continuous form is 140 mm high). */
const ROWS_PER_PAGE: Record<Paper, number> = { a4: 22, continuous: 5 };

/**
 * Lays a receipt out on A4 or 241 mm continuous paper: company and title, the header (community,
 * number, date, payer, room), the lines (fee item, period, amount), the total in figures and in
 * capital numerals, method and cashier, and for a void receipt a 作废 watermark and the reason.
 * Lines beyond one page continue on the next with the header repeated; the total is on the last.
 */
export async function renderReceipt(font: PdfFont, paper: Paper, r: ReceiptPrint): Promise<Buffer> {
  const compact = paper === 'continuous';
  const margin = (compact ? 8 : 15) * MM;
  const doc = newDocument(font, paper, { title: `收据 ${r.number}`, createdAt: new Date(r.voidedAt ?? r.issuedAt) }, margin);
  const width = doc.page.width - 2 * margin;
  const size = compact ? 9.5 : 11;
  const rowH = size * 1.9;
  const pages: ReceiptPrint['lines'][] = [];
  for (let i = 0; i < Math.max(r.lines.length, 1); i += ROWS_PER_PAGE[paper]) pages.push(r.lines.slice(i, i + ROWS_PER_PAGE[paper]));

  pages.forEach((lines, pageIndex) => {
    if (pageIndex > 0) doc.addPage();
    let y = margin;
    // Title block
    doc.fontSize(compact ? 14 : 18).text(r.companyName, margin, y, { width, align: 'center' });
    y += (compact ? 14 : 18) * 1.4;
    doc.fontSize(compact ? 13 : 16).text('收  款  收  据', margin, y, { width, align: 'center', characterSpacing: 2 });
    y += (compact ? 13 : 16) * 1.5;
    doc.fontSize(size);
    const half = width / 2;
    doc.text(`小区：${r.communityName}`, margin, y, { width: half });
    doc.text(`No. ${r.number}`, margin + half, y, { width: half, align: 'right' });
    y += rowH * 0.8;
    doc.text(`交款人：${r.payerName ?? '—'}`, margin, y, { width: half });
    doc.text(`日期：${chinaDate(r.issuedAt)}`, margin + half, y, { width: half, align: 'right' });
    y += rowH * 0.8;
    doc.text(`房号/车位：${r.subjectLabel}`, margin, y, { width: half });
    if (pages.length > 1) doc.text(`第 ${pageIndex + 1} / ${pages.length} 页`, margin + half, y, { width: half, align: 'right' });
    y += rowH;

    // Lines table: fee item | period | amount
    const cols = [width * 0.45, width * 0.27, width * 0.28];
    const x = [margin, margin + cols[0]!, margin + cols[0]! + cols[1]!];
    const cell = (text: string, col: number, top: number, align: 'left' | 'right' | 'center' = 'left') =>
      doc.text(text, x[col]! + 4, top + (rowH - size) / 2 - 1, { width: cols[col]! - 8, align, lineBreak: false, ellipsis: true });
    const rule = (top: number) => doc.moveTo(margin, top).lineTo(margin + width, top).lineWidth(0.6).stroke();
    const top = y;
    rule(y);
    cell('收费项目', 0, y, 'center');
    cell('所属期间', 1, y, 'center');
    cell('金额（元）', 2, y, 'center');
    y += rowH;
    rule(y);
    for (const l of lines) {
      cell(l.feeItemName, 0, y);
      cell(l.periodLabel, 1, y, 'center');
      cell(yuanFigures(l.amountCents).replace('¥', ''), 2, y, 'right');
      y += rowH;
      rule(y);
    }
    const last = pageIndex === pages.length - 1;
    if (last) {
      cell('合计', 0, y);
      cell(yuanFigures(r.totalCents), 2, y, 'right');
      y += rowH;
      rule(y);
      doc.text(`大写金额：人民币${chineseCapitalAmount(r.totalCents)}`, margin + 4, y + (rowH - size) / 2 - 1, { width: width - 8, lineBreak: false });
      y += rowH;
      rule(y);
    }
    for (const vx of [margin, x[1]!, x[2]!, margin + width]) {
      const bottom = last && vx !== margin && vx !== margin + width ? y - 2 * rowH : y;
      doc.moveTo(vx, top).lineTo(vx, bottom).lineWidth(0.6).stroke();
    }
    if (last) {
      y += rowH * 0.5;
      const third = width / 3;
      doc.text(`收款方式：${METHOD_LABELS[r.method] ?? r.method}`, margin, y, { width: third });
      doc.text(`收款人：${r.cashierName}`, margin + third, y, { width: third, align: 'center' });
      doc.text('（盖章）', margin + 2 * third, y, { width: third, align: 'right' });
      y += rowH * 0.9;
      const notes: string[] = [];
      if (r.reissueOfNumber) notes.push(`本收据为补开，原收据 ${r.reissueOfNumber} 已作废`);
      if (r.status === 'void') notes.push(`已作废（${r.voidedAt ? chinaDateTime(r.voidedAt) : ''}）${r.voidReason ? `：${r.voidReason}` : ''}`);
      const contact = [r.companyAddress, r.companyPhone].filter((s) => s !== '').join('  ');
      if (contact) notes.push(contact);
      doc.fontSize(size - 1.5).text(notes.join('\n'), margin, y, { width });
    }
    if (r.status === 'void') watermark(doc, '作废 VOID');
  });
  return toBuffer(doc);
}
