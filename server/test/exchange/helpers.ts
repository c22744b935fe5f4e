import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import type { ImportBatch } from '@courtyard/contracts';
import type { Client, TestCourtyard } from '../harness.js';
import { multipart } from '../files/fixtures.js';

/** An .xlsx with one sheet: the header row, then the rows (as ExcelJS writes them). */
export async function workbook(headers: string[], rows: (string | number | Date | null)[][], sheet = 'data'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same, written with the streaming writer (inline strings, no shared-strings table — as some WPS/LibreOffice builds save). */
export async function streamedWorkbook(headers: string[], rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('data');
  ws.addRow(headers).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

export function uploadImport(client: Client, fields: { kind: string; communityId: string }, data: Buffer, name = 'import.xlsx'): Promise<LightMyRequestResponse> {
  const body = multipart(fields, { name, data });
  return client.request('POST', '/api/imports', body.payload, { 'content-type': body.contentType });
}

/** Runs queued jobs (validation, commit) and returns the batch as the API shows it. */
export async function settle(c: TestCourtyard, client: Client, id: string): Promise<ImportBatch> {
  while ((await c.services.jobs.runDue(10)) > 0) {
    // keep running until nothing is due
  }
  const res = await client.get(`/api/imports/${id}`);
  if (res.statusCode !== 200) throw new Error(`GET batch: ${res.statusCode} ${res.body}`);
  return res.json<ImportBatch>();
}

/** Upload, validate; commit when valid; returns the final batch. */
export async function importFile(c: TestCourtyard, client: Client, kind: string, communityId: string, data: Buffer, commit = true): Promise<ImportBatch> {
  const res = await uploadImport(client, { kind, communityId }, data);
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  const batch = await settle(c, client, res.json<ImportBatch>().id);
  if (!commit || batch.state !== 'valid') return batch;
  const committed = await client.post(`/api/imports/${batch.id}/commit`);
  if (committed.statusCode !== 202) throw new Error(`commit: ${committed.statusCode} ${committed.body}`);
  return settle(c, client, batch.id);
}

export const ROOM_HEADERS_ZH = ['楼栋编号', '楼栋名称', '单元编号', '单元名称', '房号', '楼层', '建筑面积', '套内面积', '用途', '状态', '交付日期'];
export const PEOPLE_HEADERS_EN = ['Name', 'Kind', 'Gender', 'Phone', 'ID type', 'ID number', 'Email', 'Room code', 'Relation', 'Moved-in date', 'Primary contact', 'Emergency contact', 'Emergency phone', 'Notes'];

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 18-digit resident ID for a serial number (GB 11643 check digit). */
export function residentId(n: number, birth = '19800101'): string {
  const first = `110105${birth}${String(n % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first[i]) * W[i]!;
  return first + '10X98765432'[sum % 11]!;
}

/** Distinct IDs for n up to 10^6: the serial spreads over birth days and the sequence digits. */
export function residentIdN(n: number): string {
  const day = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return residentId(n % 1000, day);
}

export function phoneN(n: number): string {
  return `139${String(n).padStart(8, '0')}`;
}
