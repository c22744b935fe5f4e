import { chineseCapitalAmount, yuanFigures } from './amount-in-words.js';
import type { PdfFont } from './font.js';
import { MM, newDocument, toBuffer } from './pdf.js';

/** A reminder letter (催缴通知书) for one room: what is overdue and since when. */
export interface LetterPrint {
  companyName: string;
  companyAddress: string;
  companyPhone: string;
  communityName: string;
  subjectLabel: string;
  payerName: string | null;
  asOn: string;
  lines: { feeItemName: string; periodLabel: string; dueOn: string; outstandingCents: number }[];
  totalCents: number;
}

const ROWS_PER_PAGE = 24;

/** A4 portrait; rows beyond one page continue with the table header repeated, the total on the last. */
export async function renderLetter(font: PdfFont, l: LetterPrint): Promise<Buffer> {
  const margin = 20 * MM;
  const doc = newDocument(font, 'a4', { title: `催缴通知书 ${l.subjectLabel}`, createdAt: new Date(`${l.asOn}T00:00:00+08:00`) }, margin);
  const width = doc.page.width - 2 * margin;
  const size = 11;
  const rowH = size * 1.9;
  const pages: LetterPrint['lines'][] = [];
  for (let i = 0; i < Math.max(l.lines.length, 1); i += ROWS_PER_PAGE) pages.push(l.lines.slice(i, i + ROWS_PER_PAGE));
  const cols = [width * 0.34, width * 0.2, width * 0.22, width * 0.24];
  const xs = cols.map((_, i) => margin + cols.slice(0, i).reduce((a, b) => a + b, 0));

  pages.forEach((lines, index) => {
    if (index > 0) doc.addPage();
    let y = margin;
    if (index === 0) {
      doc.fontSize(18).text(l.companyName, margin, y, { width, align: 'center' });
      y += 18 * 1.5;
      doc.fontSize(16).text('催 缴 通 知 书', margin, y, { width, align: 'center' });
      y += 16 * 2;
      doc.fontSize(size).text(`${l.payerName ?? `${l.subjectLabel} 业主`}：`, margin, y, { width });
      y += rowH;
      const intro = `您好！截至 ${l.asOn}，您在${l.communityName} ${l.subjectLabel} 的以下费用已逾期未缴，合计 ${yuanFigures(l.totalCents)}。请于收到本通知之日起七日内到物业服务中心或通过业主门户缴纳。如已缴纳，请忽略本通知。`;
      doc.text(intro, margin, y, { width, indent: size * 2, lineGap: 4 });
      y = doc.y + rowH * 0.6;
    }
    const top = y;
    const rule = (at: number) => doc.moveTo(margin, at).lineTo(margin + width, at).lineWidth(0.6).stroke();
    const cell = (text: string, col: number, at: number, align: 'left' | 'right' | 'center' = 'left') =>
      doc.text(text, xs[col]! + 4, at + (rowH - size) / 2 - 1, { width: cols[col]! - 8, align, lineBreak: false, ellipsis: true });
    rule(y);
    ['收费项目', '所属期间', '应缴日期', '欠费金额（元）'].forEach((h, i) => cell(h, i, y, 'center'));
    y += rowH;
    rule(y);
    for (const line of lines) {
      cell(line.feeItemName, 0, y);
      cell(line.periodLabel, 1, y, 'center');
      cell(line.dueOn, 2, y, 'center');
      cell(yuanFigures(line.outstandingCents).replace('¥', ''), 3, y, 'right');
      y += rowH;
      rule(y);
    }
    const last = index === pages.length - 1;
    if (last) {
      cell('合计', 0, y);
      cell(yuanFigures(l.totalCents), 3, y, 'right');
      y += rowH;
      rule(y);
      doc.text(`大写金额：人民币${chineseCapitalAmount(l.totalCents)}`, margin + 4, y + (rowH - size) / 2 - 1, { width: width - 8, lineBreak: false });
      y += rowH;
      rule(y);
    }
    for (const [i, x] of [...xs, margin + width].entries()) {
      const inner = i > 0 && i < xs.length;
      doc.moveTo(x, top).lineTo(x, last && inner ? y - 2 * rowH : y).lineWidth(0.6).stroke();
    }
    if (last) {
      y += rowH * 1.5;
      doc.text(l.companyName, margin, y, { width, align: 'right' });
      y += rowH;
      doc.text(l.asOn, margin, y, { width, align: 'right' });
      y += rowH;
      const contact = [l.companyAddress, l.companyPhone].filter((s) => s !== '').join('  ');
      if (contact) doc.fontSize(size - 1.5).text(`地址/电话：${contact}`, margin, y, { width });
    }
    if (pages.length > 1) doc.fontSize(size - 2).text(`第 ${index + 1} / ${pages.length} 页`, margin, doc.page.height - margin, { width, align: 'center', lineBreak: false });
    doc.fontSize(size);
  });
  return toBuffer(doc);
}
