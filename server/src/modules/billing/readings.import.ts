import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale, ReadingImportReport, ReadingImportError } from '@courtyard/contracts';
import type { Db } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError } from '../../core/http/errors.js';
import { parseQtyE3 } from './engine/index.js';
import { meters as repo } from './meters.repository.js';
import type { ReadingLine, ReadingsService } from './readings.service.js';

/**
 * Excel import of meter readings (抄表导入): a template, streamed parsing with the data-exchange
 * module's report format (row, column as in the file, stable code, message), and an all-or-nothing
 * commit — any error, including a refusal of the readings' own checks, writes nothing.
 * (data-exchange has no hook for a new kind; its kinds are the registry's.)
 */
const COLUMNS = [
  { key: 'serial', zh: '表号', en: 'Serial number' },
  { key: 'readOn', zh: '抄表日期', en: 'Read on' },
  { key: 'reading', zh: '读数', en: 'Reading' },
  { key: 'rolledOver', zh: '翻转', en: 'Rolled over' },
] as const;
type Key = (typeof COLUMNS)[number]['key'];
/** At most this many data rows per file (a reading round of a large community). */
export const MAX_IMPORT_ROWS = 50_000;

const MESSAGES: Record<string, { zh: string; en: string }> = {
  required: { zh: '必填', en: 'Required' },
  invalid_date: { zh: '日期格式应为 2026-03-31', en: 'A date such as 2026-03-31' },
  invalid_number: { zh: '读数应为最多三位小数的数字', en: 'A number with at most three decimals' },
  invalid_flag: { zh: '填 是 或 否', en: 'Yes or no' },
  unknown_meter: { zh: '该小区没有此表号', en: 'No meter with this serial number in the community' },
  duplicate_date: { zh: '该表当天已有读数（或文件中重复）', en: 'The meter already has a reading that day (or the file repeats it)' },
  inactive_meter: { zh: '该表已停用', en: 'The meter is inactive' },
  reading_lower: { zh: '读数低于上次读数且未标明翻转', en: 'Lower than the previous reading and not marked as rolled over' },
  rollover_without_max: { zh: '该表未设置满量程，不能翻转', en: 'The meter has no maximum value to roll over from' },
  rollover_not_lower: { zh: '标明翻转但读数未变小', en: 'Marked as rolled over but not lower than the previous reading' },
  reading_above_max: { zh: '读数超过满量程', en: 'Above the meter’s maximum value' },
  date_not_after_previous: { zh: '抄表日期不晚于上次抄表日期', en: 'Not after the previous reading' },
  date_gap: { zh: '与上次抄表间隔超过 100 天', en: 'More than 100 days after the previous reading' },
  too_many_rows: { zh: `超过 ${MAX_IMPORT_ROWS} 行`, en: `More than ${MAX_IMPORT_ROWS} rows` },
  no_header: { zh: '找不到表头（表号、抄表日期、读数）', en: 'No header row (serial number, read on, reading)' },
  unreadable: { zh: '无法读取该 Excel 文件', en: 'The workbook cannot be read' },
};

/** The template workbook: the header row in the caller's language and one example row. */
export async function readingsTemplate(locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(locale === 'zh-CN' ? '抄表' : 'Readings');
  ws.addRow(COLUMNS.map((c) => (locale === 'zh-CN' ? c.zh : c.en)));
  ws.addRow(['W-1-1-101', '2026-03-31', 1234.567, locale === 'zh-CN' ? '否' : 'no']);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((col) => (col.width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function plain(v: unknown): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.result !== undefined) return plain(o.result);
    // Hyperlink cells carry their shown text.
    if (typeof o.text === 'string') return o.text;
    return null;
  }
  return v as string | number | Date;
}

function dateOf(v: string | number | Date): string | null {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(String(v).trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d ? null : d;
}

export function createReadingsImport(deps: { db: Db; readings: ReadingsService }) {
  return {
    template: readingsTemplate,

    /**
     * Reads the sheet, checks every row, then — only when nothing is wrong and `commit` — enters
     * the readings in one transaction (source `import`). A dry run (`commit` false) reports the
     * same errors and writes nothing.
     */
    async importReadings(ctx: RequestContext, communityId: string, file: Readable, rest: () => Promise<void>, commit: boolean): Promise<ReadingImportReport> {
      assertCan(ctx, 'billing.reading.enter', communityId);
      const errors: ReadingImportError[] = [];
      const msg = (code: string) => MESSAGES[code]?.[ctx.locale === 'zh-CN' ? 'zh' : 'en'] ?? code;
      const headerName: Partial<Record<Key, string>> = {};
      const fail = (row: number, key: Key | null, code: string) => {
        if (errors.length < 500) errors.push({ row, column: key ? (headerName[key] ?? key) : null, code, message: msg(code) });
      };
      const rows: { row: number; serial: string; line: Omit<ReadingLine, 'meterId'> }[] = [];
      let total = 0;
      const input = new PassThrough();
      file.pipe(input);
      try {
        const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
        let index: Partial<Record<Key, number>> | null = null;
        let sheetDone = false;
        for await (const sheet of reader) {
          for await (const r of sheet) {
            if (sheetDone) continue; // the rest is read past: leaving early would stall the zip stream
            const values = (r.values as unknown[]).map(plain);
            if (!index) {
              const found: Partial<Record<Key, number>> = {};
              values.forEach((v, i) => {
                const text = typeof v === 'string' ? v.trim().toLowerCase() : '';
                const c = COLUMNS.find((x) => x.zh === text || x.en.toLowerCase() === text);
                if (c) {
                  found[c.key] = i;
                  headerName[c.key] = String(v).trim();
                }
              });
              if (found.serial !== undefined && found.readOn !== undefined && found.reading !== undefined) index = found;
              continue;
            }
            const at = (k: Key) => (index![k] === undefined ? null : (values[index![k]] ?? null));
            if ([at('serial'), at('readOn'), at('reading')].every((v) => v === null || String(v).trim() === '')) continue;
            total += 1;
            if (total > MAX_IMPORT_ROWS) {
              fail(r.number, null, 'too_many_rows');
              sheetDone = true;
              continue;
            }
            const serial = at('serial') === null ? '' : String(at('serial')).trim();
            if (!serial) fail(r.number, 'serial', 'required');
            const readOnRaw = at('readOn');
            const readOn = readOnRaw === null ? null : dateOf(readOnRaw);
            if (readOnRaw === null) fail(r.number, 'readOn', 'required');
            else if (!readOn) fail(r.number, 'readOn', 'invalid_date');
            const readingRaw = at('reading');
            let readingE3: number | null = null;
            if (readingRaw === null || String(readingRaw).trim() === '') fail(r.number, 'reading', 'required');
            else {
              try {
                readingE3 = parseQtyE3(String(readingRaw).trim());
              } catch {
                fail(r.number, 'reading', 'invalid_number');
              }
            }
            const flagRaw = at('rolledOver');
            const flagText = flagRaw === null ? '' : String(flagRaw).trim().toLowerCase();
            let rolledOver: boolean | undefined;
            if (['是', 'yes', 'y', 'true', '1'].includes(flagText)) rolledOver = true;
            else if (['否', 'no', 'n', 'false', '0', ''].includes(flagText)) rolledOver = flagText === '' ? undefined : false;
            else fail(r.number, 'rolledOver', 'invalid_flag');
            if (serial && readOn && readingE3 !== null) rows.push({ row: r.number, serial, line: { readOn, readingE3, ...(rolledOver !== undefined ? { rolledOver } : {}) } });
          }
          if (index) sheetDone = true;
        }
        await rest();
        if (!index) fail(1, null, 'no_header');
      } catch (err) {
        if (err instanceof AppError) throw err;
        fail(1, null, 'unreadable');
      }

      let accepted = 0;
      let flagged = 0;
      let committed = false;
      if (errors.length === 0 && rows.length > 0) {
        class Rollback extends Error {}
        try {
          await deps.db.transaction().execute(async (tx) => {
            const meters = new Map((await repo.bySerials(tx, communityId, [...new Set(rows.map((r) => r.serial))])).map((m) => [m.serial_number, m.id]));
            const known = rows.filter((r) => {
              if (meters.has(r.serial)) return true;
              fail(r.row, 'serial', 'unknown_meter');
              return false;
            });
            const { outcomes } = await deps.readings.enterIn(tx, ctx, known.map((r) => ({ ...r.line, meterId: meters.get(r.serial)! })), 'import');
            for (const o of outcomes) {
              if (o.reason) fail(known[o.line]!.row, o.reason.startsWith('date') || o.reason === 'duplicate_date' ? 'readOn' : o.reason === 'unknown_meter' || o.reason === 'inactive_meter' ? 'serial' : 'reading', o.reason);
              else {
                accepted += 1;
                if (o.row?.review_status === 'pending') flagged += 1;
              }
            }
            // All or nothing: one bad row and nothing of the file is kept; a dry run keeps nothing either.
            if (errors.length || !commit) throw new Rollback();
          });
          committed = true;
        } catch (err) {
          if (!(err instanceof Rollback)) throw err;
        }
      }
      errors.sort((a, b) => a.row - b.row);
      return { rows: total, accepted: errors.length ? 0 : accepted, flagged: errors.length ? 0 : flagged, committed, errors };
    },
  };
}
export type ReadingsImport = ReturnType<typeof createReadingsImport>;
