import PDFDocument from 'pdfkit';
import { fontBytes, type PdfFont } from './font.js';

/** 1 mm in PDF points. */
export const MM = 72 / 25.4;

/** A4 portrait, and the 241 × 140 mm continuous form of Chinese dot-matrix printers (针式打印). */
export type Paper = 'a4' | 'continuous';
export const PAPER_SIZES: Record<Paper, [number, number]> = {
  a4: [210 * MM, 297 * MM],
  continuous: [241 * MM, 140 * MM],
};

/**
 * A pdfkit document with the CJK font registered as `cjk` and fixed metadata: the creation date is
 * the document's own date (not "now"), so rendering the same data twice gives the same bytes.
 */
export function newDocument(font: PdfFont, paper: Paper, meta: { title: string; createdAt: Date }, margin = 12 * MM, layout: 'portrait' | 'landscape' = 'portrait'): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: PAPER_SIZES[paper], layout, margin, autoFirstPage: true, info: { Title: meta.title, Producer: 'Courtyard', Creator: 'Courtyard', CreationDate: meta.createdAt, ModDate: meta.createdAt } });
  doc.registerFont('cjk', fontBytes(font), font.family);
  doc.font('cjk');
  return doc;
}

/** Collects the document's bytes once it is ended. */
export function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** A diagonal watermark across the page (作废 on void receipts). */
export function watermark(doc: PDFKit.PDFDocument, text: string): void {
  const { width, height } = doc.page;
  doc.save();
  doc.rotate(-25, { origin: [width / 2, height / 2] });
  doc.fillColor('#d4380d').opacity(0.35).fontSize(Math.min(width, height) / 4);
  doc.text(text, 0, height / 2 - Math.min(width, height) / 8, { width, align: 'center', lineBreak: false });
  doc.restore();
  doc.fillColor('black').opacity(1);
}

/** China calendar date of an instant (UTC+8, no daylight saving). */
export function chinaDate(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
export function chinaDateTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
