import { Readable, type Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import type { ImportKind, Locale } from '@courtyard/contracts';
import { COLUMNS, EXAMPLES, SHEET_NAMES, enumLabels, importMessage, matchHeaders, type CellValue, type HeaderMatch } from './formats.js';
import { NotRecognised, openWorkbook, type RawRow } from './xlsx-reader.js';

/**
 * Everything ExcelJS: streaming reads of uploads, the templates, the annotated error report and
 * streamed exports (docs/decisions/0013-excel.md).
 */

/**
 * ExcelJS 4.4's streaming reader decodes every inflated chunk of a sheet or of the shared-strings
 * part to text on its own, so a Chinese character (3 bytes in UTF-8) split between two chunks
 * becomes "住���" — silently, in roughly one cell per 10,000. Until that is fixed upstream, the
 * reader gets its XML already decoded by a StringDecoder, which carries split characters over to
 * the next chunk (its SAX step passes strings through untouched).
 */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}
interface ReaderInternals {
  _parseWorksheet: (this: ReaderInternals, iterator: AsyncIterable<Buffer | string>, sheetNo: number) => unknown;
  _parseSharedStrings: (this: ReaderInternals, entry: AsyncIterable<Buffer | string>) => unknown;
  __utf8Safe?: boolean;
}
const readerProto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;
if (!readerProto.__utf8Safe) {
  const parseWorksheet = readerProto._parseWorksheet;
  const parseSharedStrings = readerProto._parseSharedStrings;
  readerProto._parseWorksheet = function (this: ReaderInternals, iterator, sheetNo) {
    return parseWorksheet.call(this, utf8Text(iterator), sheetNo);
  };
  readerProto._parseSharedStrings = function (this: ReaderInternals, entry) {
    return parseSharedStrings.call(this, Readable.from(utf8Text(entry)));
  };
  readerProto.__utf8Safe = true;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Reduces what ExcelJS puts in a cell (rich text, formulas, hyperlinks …) to a plain value. */
export function plainValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return plainValue(o.result);
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return null;
  }
  return null;
}

export type SheetRow = RawRow;

export class UnreadableWorkbook extends Error {}

/** ExcelJS's streaming read, as sheets of plain rows: the fallback for what {@link openWorkbook} does not recognise. */
async function* excelJsSheets(input: Readable): AsyncGenerator<AsyncIterable<SheetRow[]>> {
  // styles: 'cache' so that date-formatted number cells arrive as Dates.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  for await (const sheet of reader) {
    yield (async function* () {
      for await (const row of sheet) yield [{ row: row.number, values: (row.values as unknown[]).map(plainValue) }];
    })();
  }
}

async function bytesOf(input: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Streams the data sheet of an uploaded workbook, in batches of rows: the first worksheet whose first non-empty row
 * carries this kind's headers (either language). Read with the module's own reader
 * (xlsx-reader.ts); ExcelJS reads what that one does not recognise.
 */
export async function* readDataSheet(input: Readable, kind: ImportKind, onHeader: (match: HeaderMatch, headerRow: number) => void): AsyncGenerator<SheetRow[]> {
  let found = false;
  let best: { match: HeaderMatch; row: number } | undefined;
  try {
    const bytes = await bytesOf(input);
    let sheets: Iterable<AsyncIterable<SheetRow[]>> | AsyncIterable<AsyncIterable<SheetRow[]>>;
    // ExcelJS parses one zip stream: leaving one of its sheets early would stall the others.
    let drain = false;
    try {
      sheets = (await openWorkbook(bytes)).sheets.map((s) => s.rows());
    } catch (err) {
      if (!(err instanceof NotRecognised)) throw err;
      sheets = excelJsSheets(Readable.from([bytes]));
      drain = true;
    }
    for await (const sheet of sheets) {
      if (found && !drain) break;
      let state: 'searching' | 'data' | 'skip' = found ? 'skip' : 'searching';
      let looked = 0;
      for await (const batch of sheet) {
        if (state === 'skip') {
          if (drain) continue;
          break;
        }
        if (state === 'data') {
          yield batch;
          continue;
        }
        for (const [i, row] of batch.entries()) {
          if (state === 'skip') break;
          if (state === 'data') {
            yield batch.slice(i);
            break;
          }
          const texts = row.values.map((v) => (v === null || v === undefined ? undefined : String(v)));
          if (texts.every((t) => !t || !t.trim())) continue;
          const match = matchHeaders(kind, texts);
          // A header row names at least two of this kind's columns.
          if (match.columns.size < 2) {
            if (!best || match.columns.size > best.match.columns.size) best = { match, row: row.row };
            looked += 1;
            if (looked >= 10) state = 'skip';
            continue;
          }
          state = 'data';
          found = true;
          onHeader(match, row.row);
        }
      }
    }
  } catch (err) {
    throw new UnreadableWorkbook(err instanceof Error ? err.message : String(err));
  }
  if (!found) onHeader(best?.match ?? matchHeaders(kind, []), best?.row ?? 1);
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const REQUIRED_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFC00000' } };
const TEMPLATE_ROWS = 5_000;

/** The import template: a data sheet (headers, text formats, drop-down lists) and an instructions sheet with an example row. */
export async function templateWorkbook(kind: ImportKind, locale: Locale): Promise<Buffer> {
  const zh = locale === 'zh-CN';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Courtyard';
  const columns = COLUMNS[kind];
  const data = wb.addWorksheet(SHEET_NAMES[kind][locale], { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = columns.map((c) => ({
    header: zh ? c.zh : c.en,
    key: c.key,
    width: Math.max(12, (zh ? c.zh.length * 2 : c.en.length) + 4),
    // Codes, phones and ID numbers as text: Excel would otherwise turn 11010519491231002X into
    // 1.10105E+17 or drop the leading zeros of a room number.
    style: c.type === 'int' ? {} : c.type === 'date' ? { numFmt: 'yyyy-mm-dd' } : { numFmt: '@' },
  }));
  const header = data.getRow(1);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = HEADER_FILL;
    cell.font = c.required ? REQUIRED_FONT : { bold: true };
    if (c.enum) {
      const letter = data.getColumn(i + 1).letter;
      (data as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${enumLabels(c.enum, locale).join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'warning',
      });
    }
  });

  const help = wb.addWorksheet(zh ? '填写说明' : 'Instructions');
  help.getColumn(1).width = 24;
  help.getColumn(2).width = 10;
  help.getColumn(3).width = 70;
  const lines = zh
    ? [
        `在“${SHEET_NAMES[kind][locale]}”工作表第 2 行起填写数据，每行一条。红色加粗的列必填。`,
        '表头可用中文或英文，列的顺序不限；枚举值可填中文或英文。',
        '日期可写 2024-03-01、2024/3/1 或 Excel 日期；面积单位为平方米，最多两位小数。',
        '同一文件重复上传不会重复创建：已存在且相同的记录计为“未变化”，取值不同的记录报错。',
      ]
    : [
        `Enter the data in the "${SHEET_NAMES[kind][locale]}" sheet from row 2, one record per row. Bold red columns are required.`,
        'Headers may be in Chinese or English, in any order; enum values in either language.',
        'Dates as 2024-03-01, 2024/3/1 or an Excel date; areas in square metres, at most two decimals.',
        'Uploading the same file again creates nothing twice: identical existing records count as "unchanged", different ones are reported.',
      ];
  lines.forEach((l) => help.addRow([l]));
  help.addRow([]);
  const head = help.addRow(zh ? ['列', '必填', '格式 / 可选值'] : ['Column', 'Required', 'Format / allowed values']);
  head.font = { bold: true };
  for (const c of columns) {
    const allowed = c.enum ? enumLabels(c.enum, locale).join(zh ? '、' : ', ') : '';
    const note = zh ? c.noteZh : c.noteEn;
    help.addRow([zh ? c.zh : c.en, c.required ? (zh ? '是' : 'yes') : '', [allowed, note].filter(Boolean).join(zh ? '；' : '; ')]);
  }
  help.addRow([]);
  help.addRow([zh ? '示例' : 'Example']).font = { bold: true };
  help.addRow(columns.map((c) => (zh ? c.zh : c.en))).font = { bold: true };
  help.addRow(EXAMPLES[kind][locale]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ReportError {
  row: number;
  /** 1-based column, 0 when the error is about the whole row or file. */
  col: number;
  code: string;
  detail?: string | undefined;
}

const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };

/**
 * The uploaded workbook with the offending cells filled red and commented, and an "错误 / Errors"
 * column after the last used one listing every problem of the row.
 */
export async function annotatedReport(input: Readable, kind: ImportKind, errors: ReportError[], locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.read(input);
  let sheet: ExcelJS.Worksheet | undefined;
  let headerRow = 1;
  for (const ws of wb.worksheets) {
    for (let r = 1; r <= Math.min(ws.rowCount, 20); r++) {
      const texts = (ws.getRow(r).values as unknown[]).map((v) => {
        const p = plainValue(v);
        return p === null ? undefined : String(p);
      });
      if (matchHeaders(kind, texts).columns.size >= 2) {
        sheet = ws;
        headerRow = r;
        break;
      }
    }
    if (sheet) break;
  }
  sheet ??= wb.worksheets[0] ?? wb.addWorksheet('data');
  const errorCol = Math.max(sheet.columnCount, 1) + 1;
  const title = sheet.getRow(headerRow).getCell(errorCol);
  title.value = '错误 / Errors';
  title.font = { bold: true, color: { argb: 'FFC00000' } };
  sheet.getColumn(errorCol).width = 60;
  const byRow = new Map<number, string[]>();
  for (const e of errors) {
    const message = importMessage(e.code, e.detail, locale);
    const row = Math.max(e.row, headerRow);
    if (e.col > 0 && e.row > headerRow) {
      const cell = sheet.getRow(e.row).getCell(e.col);
      cell.fill = ERROR_FILL;
      const previous = typeof cell.note === 'string' ? `${cell.note}\n` : '';
      cell.note = `${previous}${message}`;
    }
    const header = e.col > 0 ? plainValue(sheet.getRow(headerRow).getCell(e.col).value) : null;
    const list = byRow.get(row) ?? [];
    list.push(header === null ? message : `${String(header)}: ${message}`);
    byRow.set(row, list);
  }
  for (const [row, messages] of byRow) {
    const cell = sheet.getRow(row).getCell(errorCol);
    cell.value = row === headerRow ? `错误 / Errors — ${messages.join('; ')}` : messages.join('; ');
    cell.font = { color: { argb: 'FFC00000' } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A streamed .xlsx export: rows are committed to the output as they are added. */
export function xlsxExport(output: Writable, sheetName: string, headers: string[]) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = headers.map((h) => ({ header: h, width: Math.max(10, h.length * 2) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  return {
    add(values: (string | number | null)[]) {
      ws.addRow(values).commit();
    },
    async finish() {
      ws.commit();
      await wb.commit();
    },
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** UTF-8 byte-order mark: without it Excel opens a UTF-8 CSV as the local code page and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';
