import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { plainValue } from '../../src/modules/data-exchange/workbook.js';
import { isDateFormat, NotRecognised, openWorkbook, type RawRow } from '../../src/modules/data-exchange/xlsx-reader.js';
import { streamedWorkbook, workbook } from './helpers.js';

async function fastRead(bytes: Buffer): Promise<{ name: string; rows: RawRow[] }[]> {
  const book = await openWorkbook(bytes);
  const out: { name: string; rows: RawRow[] }[] = [];
  for (const sheet of book.sheets) {
    const rows: RawRow[] = [];
    for await (const batch of sheet.rows()) rows.push(...batch);
    out.push({ name: sheet.name, rows });
  }
  return out;
}

/** What ExcelJS's streaming reader gives, with empty cells as null like the module's reader. */
async function excelJsRead(bytes: Buffer): Promise<RawRow[][]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const sheets: RawRow[][] = [];
  for await (const sheet of reader) {
    const rows: RawRow[] = [];
    for await (const row of sheet) rows.push({ row: row.number, values: Array.from(row.values as unknown[], (v, i) => (i === 0 ? null : plainValue(v))) });
    sheets.push(rows);
  }
  return sheets;
}

/** Trailing and leading empties aside, the cells a reader saw. */
const cells = (rows: RawRow[]) => rows.map((r) => ({ row: r.row, values: r.values.map((v, i) => (i === 0 ? null : (v ?? null))) }));

function zip(files: Record<string, string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) z.addBuffer(Buffer.from(content, 'utf8'), name);
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * A workbook written the way the generators we have met do it at their least usual: every element
 * with an `x:` namespace prefix, rows and cells without `r`, attributes in single quotes, spaced and
 * in any order (and a prefixed `x:r` that is not the reference), the data sheet second in the zip
 * but first in the tab order, a chart sheet, rich text with phonetic runs, entities and `_x000D_`.
 */
async function unusualWorkbook(date1904 = false): Promise<Buffer> {
  return zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/worksheets/sheet2.xml': `<x:worksheet xmlns:x="${MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>说明</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
    'xl/workbook.xml': `<x:workbook xmlns:x="${MAIN}" xmlns:rel="${REL}"><x:workbookPr${date1904 ? ' date1904="1"' : ''}/><x:sheets><x:sheet name="数据 &amp; 名单" sheetId="1" rel:id="rId1"/><x:sheet name="图" sheetId="3" rel:id="rId9"/><x:sheet name="说明" sheetId="2" rel:id="rId2"/></x:sheets></x:workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="${REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId9" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': `<x:styleSheet xmlns:x="${MAIN}"><x:numFmts count="2"><x:numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><x:numFmt numFmtId="165" formatCode="0.00&quot;m&quot;"/></x:numFmts><x:cellStyleXfs count="1"><x:xf numFmtId="14"/></x:cellStyleXfs><x:cellXfs count="6"><x:xf numFmtId="0"/><x:xf numFmtId="14" applyNumberFormat="1"/><x:xf numFmtId="164"/><x:xf numFmtId="31"/><x:xf numFmtId="49"/><x:xf numFmtId="165"/></x:cellXfs></x:styleSheet>`,
    'xl/sharedStrings.xml': `<x:sst xmlns:x="${MAIN}" count="5" uniqueCount="5"><x:si><x:t>姓名</x:t></x:si><x:si><x:r><x:rPr><x:b/></x:rPr><x:t>张</x:t></x:r><x:r><x:t xml:space="preserve"> 三</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ZHANG</x:t></x:rPh><x:phoneticPr fontId="1"/></x:si><x:si><x:t>A&amp;B &lt;c&gt; &#x4E2D;&#25991; &quot;q&quot;</x:t></x:si><x:si><x:t>一行_x000D_二行</x:t></x:si><x:si/></x:sst>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="${MAIN}"><x:sheetPr/><x:dimension ref="A1:H4"/><x:cols><x:col min="1" max="3" width="12"/></x:cols><x:sheetData>
<x:row r="1" spans="1:8"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:r><x:t>备</x:t></x:r><x:r><x:t>注</x:t></x:r></x:is></x:c></x:row>
<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c><x:c t="s"><x:v>4</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5" s="1"><x:v>45352</x:v></x:c><x:c r="B5" s="2"><x:v>45352</x:v></x:c><x:c r="C5" s="3"><x:v>45352</x:v></x:c><x:c r="D5" s="4"><x:v>13900000001</x:v></x:c><x:c r="E5" s="5"><x:v>89.5</x:v></x:c><x:c r="F5" t="d"><x:v>2024-03-01T00:00:00Z</x:v></x:c><x:c r="H5" s="0"/></x:row>
<x:row r="6"><x:c  t = 'b'
  r='A6' x:r="Z9" cm="1"><x:v>1</x:v></x:c><x:c r="B6" t="b"><x:v>0</x:v></x:c><x:c r="C6" t="e"><x:v>#N/A</x:v></x:c><x:c r="D6" t="str"><x:f>A1&amp;"x"</x:f><x:v>姓名x</x:v></x:c><x:c r="E6"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="F6"><x:f>NOW()</x:f></x:c></x:row>
<x:row r="7"/>
</x:sheetData><x:mergeCells count="0"/></x:worksheet>`,
  });
}

describe('the module’s own .xlsx reader', () => {
  it('reads prefixed elements, rows and cells without references, rich text, entities and every cell type', async () => {
    const [data, help] = await fastRead(await unusualWorkbook());
    expect(data!.name).toBe('数据 & 名单');
    expect(help!.name).toBe('说明');
    const day = new Date(Date.UTC(2024, 2, 1));
    expect(data!.rows).toEqual([
      { row: 1, values: [null, '姓名', null, '备注'] },
      // Phonetic runs are not text; `_x000D_` is a carriage return.
      { row: 2, values: [null, '张 三', 'A&B <c> 中文 "q"', '一行\r二行', ''] },
      // 14, a custom 年月日 format and the built-in 31 are dates; text (@) and 0.00"m" are not.
      { row: 5, values: [null, day, day, day, 13900000001, 89.5, day, null, null] },
      // Booleans, an error as empty, formula results (text and number), a formula without a result.
      { row: 6, values: [null, true, false, null, '姓名x', 2, null] },
      { row: 7, values: [] },
    ]);
    expect(help!.rows).toEqual([{ row: 1, values: [null, '说明'] }]);
  });

  it('counts serial dates from 1904 when the workbook says so', async () => {
    const [data] = await fastRead(await unusualWorkbook(true));
    expect(data!.rows[2]!.values[1]).toEqual(new Date(Date.UTC(2028, 2, 2)));
  });

  it('reads what ExcelJS writes exactly as ExcelJS reads it: shared strings, inline strings, dates, numbers, gaps', async () => {
    const headers = ['姓名', '手机号', '入住日期', '面积', '备注'];
    const rows = Array.from({ length: 2_000 }, (_, i) => [`住户${i}号·张`, `139${String(i).padStart(8, '0')}`, new Date(Date.UTC(2024, 0, 1 + (i % 300))), i % 5 === 0 ? null : 89.5 + i, i % 3 === 0 ? '<&>"\'' : null]);
    for (const bytes of [await workbook(headers, rows), await streamedWorkbook(headers, rows)]) {
      const [mine] = await fastRead(bytes);
      const [theirs] = await excelJsRead(bytes);
      expect(mine!.rows).toHaveLength(2_001);
      expect(cells(mine!.rows)).toEqual(cells(theirs!));
    }
  });

  it('reads the LibreOffice-saved fixture exactly as ExcelJS does', async () => {
    const bytes = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'people-libreoffice.xlsx'));
    const mine = await fastRead(bytes);
    const theirs = await excelJsRead(bytes);
    expect(mine.map((s) => cells(s.rows))).toEqual(theirs.map(cells));
    expect(mine[0]!.rows.length).toBeGreaterThan(1);
  });

  it('does not recognise what is not an OOXML workbook, so that ExcelJS gets to read it', async () => {
    await expect(openWorkbook(Buffer.from('PK\x03\x04 not really a zip'))).rejects.toBeInstanceOf(NotRecognised);
    await expect(openWorkbook(await zip({ 'word/document.xml': '<w:document/>' }))).rejects.toBeInstanceOf(NotRecognised);
    const strict = await zip({
      '_rels/.rels': '<Relationships><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      'xl/workbook.xml': '<workbook/>',
    });
    await expect(openWorkbook(strict)).rejects.toBeInstanceOf(NotRecognised);
  });

  it('refuses a row that never ends rather than holding it in memory (a crafted file inflates a thousandfold)', async () => {
    const files = {
      '_rels/.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `<workbook xmlns:r="${REL}"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'住'.repeat(17 * 1024 * 1024)}`,
    };
    await expect(fastRead(await zip(files))).rejects.toThrow(/longer than/);
  });

  it('tells date formats from others as ExcelJS does', () => {
    expect(['yyyy-mm-dd', 'm/d/yy h:mm', '[$-804]yyyy"年"m"月"d"日"', 'mmm-yy'].map(isDateFormat)).toEqual([true, true, true, true]);
    expect(['0.00', '#,##0.00 ;[Red](#,##0.00)', '0.00"m"', '@', 'General'].map(isDateFormat)).toEqual([false, false, false, false, false]);
  });

  it('keeps a Chinese character whole when it is split between two inflated chunks', async () => {
    // 40,000 rows of three-byte characters: zlib's 16 KiB chunks split some of them.
    const rows = Array.from({ length: 40_000 }, (_, i) => [`住户${i}号`, `备注中文${i}`]);
    const [sheet] = await fastRead(await streamedWorkbook(['姓名', '备注'], rows));
    const bad = sheet!.rows.slice(1).filter((r, i) => r.values[1] !== `住户${i}号` || r.values[2] !== `备注中文${i}`);
    expect(bad).toEqual([]);
  });
});
