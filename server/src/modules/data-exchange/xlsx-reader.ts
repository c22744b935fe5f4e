import { StringDecoder } from 'node:string_decoder';
import yauzl from 'yauzl';
import type { CellValue } from './formats.js';

/**
 * The import's own reader of .xlsx cell values (docs/decisions/0022-xlsx-reader.md): yauzl opens
 * the zip, node's zlib inflates, and the sheet XML is scanned with regular expressions for the
 * few elements an import needs — rows, cells, values, shared and inline strings, the date styles.
 * It reads the benchmark's 100,000-row file about three times as fast as ExcelJS's streaming
 * reader, whose general SAX pass builds an object per XML node.
 *
 * Values come out as ExcelJS would give them after `plainValue` (workbook.ts): text, numbers, booleans,
 * Dates for numbers in a date format, `null` for errors and empty cells. A workbook this reader
 * does not understand (not a zip, Strict OOXML, no workbook part) raises {@link NotRecognised}
 * before the first row, and the caller reads it with ExcelJS instead.
 */

export class NotRecognised extends Error {}

export interface RawRow {
  /** The row number as Excel shows it. */
  row: number;
  /** 1-based like the sheet: values[1] is column A. */
  values: CellValue[];
}

export interface Workbook {
  /** The worksheets in the workbook's tab order, each read when iterated (rows in batches, as they are inflated). */
  sheets: { name: string; rows(): AsyncGenerator<RawRow[]> }[];
}

/** Prefix-agnostic tag name: LibreOffice and some generators write `x:row`, `x:c` … */
const P = '(?:[A-Za-z_][\\w.-]*:)?';
const ROW = new RegExp(`<${P}row\\b([^>]*?)(?:\\/>|>([\\s\\S]*?)<\\/${P}row>)`, 'g');
const CELL = new RegExp(`<${P}c\\b([^>]*?)(?:\\/>|>([\\s\\S]*?)<\\/${P}c>)`, 'g');
const VALUE = new RegExp(`<${P}v(?:\\s[^>]*)?>([^<]*)<\\/${P}v>`);
const INLINE = new RegExp(`<${P}is\\b[^>]*>([\\s\\S]*?)<\\/${P}is>`);
const SHARED = new RegExp(`<${P}si\\b[^>]*?(?:\\/>|>([\\s\\S]*?)<\\/${P}si>)`, 'g');
const TEXT = new RegExp(`<${P}t(?:\\s[^>]*?)?(?:\\/>|>([^<]*)<\\/${P}t>)`, 'g');
/** Phonetic runs (ruby text) are not part of a cell's value. */
const PHONETIC = new RegExp(`<${P}rPh\\b[\\s\\S]*?<\\/${P}rPh>`, 'g');
const ATTRIBUTE = /(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
/** ST_Xstring escapes: Excel writes a carriage return in a cell as `_x000D_`. */
const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  const plain = text.includes('&') ? text.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => (name ? NAMED[name]! : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)))) : text;
  return plain.includes('_x') ? plain.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : plain;
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) out.set(m[1]!, decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/**
 * `r`, `t` and `s` of a cell in one pass over its attribute text, without building a map or
 * running a regular expression (the hot path: every cell). Either quote, any spacing.
 */
function cellAttributes(text: string): { r: string | undefined; t: string | undefined; s: string | undefined } {
  let r: string | undefined;
  let t: string | undefined;
  let s: string | undefined;
  let i = 0;
  for (;;) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    let q = eq + 1;
    while (text.charCodeAt(q) <= 32) q++;
    const quote = text[q];
    if (quote !== '"' && quote !== "'") break;
    const end = text.indexOf(quote, q + 1);
    if (end < 0) break;
    // The name is the word just before `=`: one letter for the three we want.
    let n = eq - 1;
    while (n >= 0 && text.charCodeAt(n) <= 32) n--;
    const before = n - 1 < 0 ? 32 : text.charCodeAt(n - 1);
    if (before <= 32) {
      const name = text.charCodeAt(n);
      if (name === 114) r = text.slice(q + 1, end);
      else if (name === 116) t = text.slice(q + 1, end);
      else if (name === 115) s = text.slice(q + 1, end);
    }
    i = end + 1;
  }
  return { r, t, s };
}

/** The text of a shared or inline string: its plain `<t>` or the runs of rich text joined. */
function stringItem(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(PHONETIC, '') : xml;
  let out = '';
  TEXT.lastIndex = 0;
  for (let m = TEXT.exec(body); m; m = TEXT.exec(body)) if (m[1]) out += m[1];
  return decodeXml(out);
}

/** Column number of a cell reference: "C12" → 3. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) col = col * 26 + code - 64;
    else if (code >= 97 && code <= 122) col = col * 26 + code - 96;
    else break;
  }
  return col;
}

/**
 * Whether a number format shows a date — the test ExcelJS applies (date letters outside brackets
 * and quotes). Built-in formats are listed by id: 14–22 and 45–47 everywhere, and 27–36 and 50–58,
 * which Chinese, Japanese and Korean Excel and WPS use for 年/月/日 dates.
 */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Excel serial day → Date, as ExcelJS converts (1900 system; 1904 when the workbook says so). */
function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function cellValue(attrs: { t: string | undefined; s: string | undefined }, body: string, shared: readonly string[], dateStyles: readonly boolean[], date1904: boolean): CellValue {
  const t = attrs.t;
  if (t === 'inlineStr') {
    const inline = INLINE.exec(body);
    if (inline) return stringItem(inline[1]!);
  }
  const v = VALUE.exec(body);
  if (!v) return null;
  const text = v[1]!;
  switch (t) {
    case 's':
      return shared[Number(text)] ?? null;
    case 'str':
    case 'inlineStr':
      return decodeXml(text);
    case 'b':
      return parseInt(text, 10) !== 0;
    case 'e':
      return null;
    case 'd': {
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? decodeXml(text) : date;
    }
    default: {
      const n = parseFloat(text);
      if (Number.isNaN(n)) return null;
      return attrs.s !== undefined && dateStyles[Number(attrs.s)] ? excelDate(n, date1904) : n;
    }
  }
}

/** Limits against crafted workbooks (a zip inflates a thousandfold): one element, all shared strings. */
const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;
const MAX_SHARED_CHARS = 256 * 1024 * 1024;

/**
 * Yields the complete matches of `pattern` in the decoded text of `stream`, a chunk's worth at a
 * time: the text after the last complete match is kept for the next chunk. The text is scanned
 * only once it holds `closing` (the end of an element, `row>` …), so that a long element costs one
 * pass, not one per chunk.
 */
async function* elements(stream: AsyncIterable<Buffer>, source: RegExp, closing: string): AsyncGenerator<RegExpExecArray[]> {
  // A pattern of its own: two files may be read at once, each pausing between chunks.
  const pattern = new RegExp(source.source, 'g');
  const decoder = new StringDecoder('utf8');
  let text = '';
  /** The end of the previous chunk, in case `closing` straddles two. */
  let tail = '';
  const scan = (final: boolean): RegExpExecArray[] => {
    const found: RegExpExecArray[] = [];
    pattern.lastIndex = 0;
    let end = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      end = pattern.lastIndex;
      found.push(m);
    }
    // Keep from the start of the element left incomplete (or nothing at the end of the part).
    text = final ? '' : text.slice(end);
    return found;
  };
  for await (const chunk of stream) {
    const piece = decoder.write(chunk);
    // Only the new piece is searched: `text` grows by concatenation and is flattened by the scan.
    const seen = tail + piece;
    const closes = seen.includes(closing);
    tail = seen.slice(-(closing.length - 1));
    text += piece;
    // A row or string that never ends (a crafted file) must not take the memory with it.
    if (text.length > MAX_ELEMENT_CHARS) throw new Error(`an XML element longer than ${MAX_ELEMENT_CHARS} characters`);
    if (closes) yield scan(false);
  }
  text += decoder.end();
  yield scan(true);
}

interface Part {
  name: string;
  entry: yauzl.Entry;
}

/** Relationship targets by id, resolved against the folder of the part that owns them. */
function relationships(xml: string, baseDir: string): Map<string, { type: string; target: string }> {
  const out = new Map<string, { type: string; target: string }>();
  for (const m of xml.matchAll(new RegExp(`<${P}Relationship\\b([^>]*)>`, 'g'))) {
    const a = attributes(m[1]!);
    const target = a.get('Target');
    const id = a.get('Id');
    if (!target || !id || a.get('TargetMode') === 'External') continue;
    out.set(id, { type: a.get('Type') ?? '', target: resolvePath(baseDir, target) });
  }
  return out;
}

function resolvePath(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/**
 * Opens a workbook held in memory (an upload is bounded by the files module's size limit). Throws
 * {@link NotRecognised} for anything it does not read itself; errors of a recognised workbook come
 * while its rows are read.
 */
export async function openWorkbook(bytes: Buffer): Promise<Workbook> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, strictFileNames: false });
  } catch (err) {
    throw new NotRecognised(err instanceof Error ? err.message : String(err));
  }
  const parts = new Map<string, Part>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName.replace(/\\/g, '/').replace(/^\//, '');
      parts.set(name.toLowerCase(), { name, entry });
    }
  } catch (err) {
    throw new NotRecognised(err instanceof Error ? err.message : String(err));
  }
  const open = async (name: string) => {
    const part = parts.get(name.toLowerCase());
    if (!part) return undefined;
    return zip.openReadStreamPromise(part.entry);
  };
  const text = async (name: string) => {
    const stream = await open(name);
    if (!stream) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const rootRels = relationships((await text('_rels/.rels')) ?? '', '');
  const officeDocument = [...rootRels.values()].find((r) => r.type.endsWith('/officeDocument'));
  if (officeDocument && !officeDocument.type.startsWith('http://schemas.openxmlformats.org/')) throw new NotRecognised('Strict Open XML');
  const workbookPath = officeDocument?.target ?? 'xl/workbook.xml';
  const workbookXml = await text(workbookPath);
  if (workbookXml === undefined) throw new NotRecognised('no workbook part');
  const baseDir = workbookPath.includes('/') ? workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1) : '';
  const rels = relationships((await text(`${baseDir}_rels/${workbookPath.slice(baseDir.length)}.rels`)) ?? '', baseDir);
  const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;

  const pr = new RegExp(`<${P}workbookPr\\b([^>]*)>`).exec(workbookXml);
  const date1904 = pr ? ['1', 'true'].includes(attributes(pr[1]!).get('date1904') ?? '') : false;

  // Which cell styles (`s`) show dates: cellXfs' number format ids, built in or declared.
  const dateStyles: boolean[] = [];
  const stylesXml = (await text(byType('/styles') ?? `${baseDir}styles.xml`)) ?? '';
  const customDates = new Map<number, boolean>();
  for (const m of stylesXml.matchAll(new RegExp(`<${P}numFmt\\b([^>]*)>`, 'g'))) {
    const a = attributes(m[1]!);
    customDates.set(Number(a.get('numFmtId')), isDateFormat(a.get('formatCode') ?? ''));
  }
  const cellXfs = new RegExp(`<${P}cellXfs\\b[^>]*>([\\s\\S]*?)<\\/${P}cellXfs>`).exec(stylesXml);
  for (const m of (cellXfs?.[1] ?? '').matchAll(new RegExp(`<${P}xf\\b([^>]*)>`, 'g'))) {
    const id = Number(attributes(m[1]!).get('numFmtId') ?? 0);
    dateStyles.push(customDates.get(id) ?? BUILT_IN_DATES.has(id));
  }

  const shared: string[] = [];
  const sharedStream = await open(byType('/sharedStrings') ?? `${baseDir}sharedStrings.xml`);
  let sharedChars = 0;
  if (sharedStream) {
    for await (const items of elements(sharedStream, SHARED, 'si>')) {
      for (const m of items) {
        const item = m[1] === undefined ? '' : stringItem(m[1]);
        sharedChars += item.length;
        shared.push(item);
      }
      if (sharedChars > MAX_SHARED_CHARS) throw new Error(`shared strings longer than ${MAX_SHARED_CHARS} characters`);
    }
  }

  const sheets: Workbook['sheets'] = [];
  for (const m of workbookXml.matchAll(new RegExp(`<${P}sheet\\b([^>]*)>`, 'g'))) {
    const a = attributes(m[1]!);
    const relId = [...a].find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
    const target = relId ? rels.get(relId) : undefined;
    // Chart sheets and dialog sheets have no cells.
    if (!target || !target.type.endsWith('/worksheet')) continue;
    sheets.push({
      name: a.get('name') ?? '',
      async *rows() {
        const stream = await open(target.target);
        if (!stream) return;
        let previous = 0;
        for await (const found of elements(stream, ROW, 'row>')) {
          const batch: RawRow[] = [];
          for (const row of found) {
            const r = /(?:^|\s)r\s*=\s*["'](\d+)["']/.exec(row[1]!);
            const number = r ? Number(r[1]) : previous + 1;
            previous = number;
            const values: CellValue[] = [];
            const body = row[2];
            if (body) {
              let col = 0;
              CELL.lastIndex = 0;
              for (let c = CELL.exec(body); c; c = CELL.exec(body)) {
                const attrs = cellAttributes(c[1]!);
                col = attrs.r ? columnOf(attrs.r) : col + 1;
                const value = c[2] === undefined ? null : cellValue(attrs, c[2], shared, dateStyles, date1904);
                while (values.length < col) values.push(null);
                values[col] = value;
              }
            }
            batch.push({ row: number, values });
          }
          if (batch.length > 0) yield batch;
        }
      },
    });
  }
  return { sheets };
}
