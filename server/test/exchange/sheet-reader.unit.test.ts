import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HeaderMatch } from '../../src/modules/data-exchange/formats.js';
import { readSheet, readSheetInWorker, WORKER_MIN_BYTES } from '../../src/modules/data-exchange/sheet-reader.js';
import { readDataSheet, UnreadableWorkbook, type SheetRow } from '../../src/modules/data-exchange/workbook.js';
import { streamedWorkbook, workbook } from './helpers.js';

const HEADERS = ['说明', '姓名', '手机号', '入住日期', '房屋编码'];

async function collect(batches: AsyncGenerator<SheetRow[]>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const rows of batches) out.push(...rows);
  return out;
}

function rowsOf(n: number): (string | number | Date | null)[][] {
  return Array.from({ length: n }, (_, i) => [null, `住户${i}号·张`, `139${String(i).padStart(8, '0')}`, new Date(Date.UTC(2024, 0, 1 + (i % 300))), i % 7 === 0 ? null : `1-1-${101 + i}`]);
}

describe('the sheet read on a worker thread (large uploads)', () => {
  it('yields exactly the rows and the header of the in-process reader, Chinese text and dates included', async () => {
    const data = await workbook(['', ...HEADERS.slice(1)], rowsOf(3_000));
    const inProcess: { match?: HeaderMatch; row?: number } = {};
    const inWorker: { match?: HeaderMatch; row?: number } = {};
    const expected = await collect(readDataSheet(Readable.from([data]), 'people', (match, row) => Object.assign(inProcess, { match, row })));
    const actual = await collect(readSheetInWorker(Readable.from([data]), 'people', (match, row) => Object.assign(inWorker, { match, row })));
    expect(actual).toHaveLength(3_000);
    expect(actual).toEqual(expected);
    expect(inWorker.row).toBe(inProcess.row);
    expect([...inWorker.match!.columns]).toEqual([...inProcess.match!.columns]);
    expect(inWorker.match!.missing.map((c) => c.key)).toEqual(inProcess.match!.missing.map((c) => c.key));
  });

  it('is used from WORKER_MIN_BYTES on, for a streamed workbook as well', async () => {
    const data = await streamedWorkbook(HEADERS, rowsOf(20_000));
    expect(data.length).toBeGreaterThan(WORKER_MIN_BYTES);
    let header = 0;
    const rows = await collect(readSheet(Readable.from([data]), data.length, 'people', (_m, row) => (header = row)));
    expect(header).toBe(1);
    expect(rows).toHaveLength(20_000);
    expect(rows.at(-2)).toMatchObject({ row: 20_000, values: [null, null, '住户19998号·张', '13900019998', new Date(Date.UTC(2024, 0, 1 + (19_998 % 300))), '1-1-20099'] });
  });

  it('reports a file that is not a workbook as unreadable', async () => {
    await expect(collect(readSheetInWorker(Readable.from([Buffer.from('PK\x03\x04 not really a zip')]), 'people', () => undefined))).rejects.toBeInstanceOf(UnreadableWorkbook);
  });

  it('stops the worker when the caller stops early', async () => {
    const data = await workbook(HEADERS, rowsOf(5_000));
    let seen = 0;
    for await (const rows of readSheetInWorker(Readable.from([data]), 'people', () => undefined)) {
      seen += rows.length;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(5_000);
    // The next read gets a fresh worker.
    expect(await collect(readSheetInWorker(Readable.from([data]), 'people', () => undefined))).toHaveLength(5_000);
  });
});
