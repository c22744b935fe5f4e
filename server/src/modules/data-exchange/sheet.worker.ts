import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import type { ImportKind } from '@courtyard/contracts';
import type { SheetMessage } from './sheet-reader.js';
import { readDataSheet, UnreadableWorkbook, type SheetRow } from './workbook.js';

/**
 * The body of the sheet-reading worker: it reads one workbook after the other. A read starts with
 * `{ start: kind }`; the workbook's bytes arrive as `{ chunk }` messages and `{ end }`; the data rows
 * leave in batches, then `{ done }` (or `{ error }`). Unzipping and XML parsing run here, on their
 * own thread and heap, while the main thread checks the rows it already has.
 */
const port = parentPort!;
const BATCH = 1_000;
const send = (m: SheetMessage) => port.postMessage(m);
let input: Readable | undefined;

async function read(kind: ImportKind, source: Readable): Promise<void> {
  let batch: SheetRow[] = [];
  try {
    const rows = readDataSheet(source, kind, (match, row) => send({ header: { columns: match.columns, missing: match.missing.map((c) => c.key) }, row }));
    for await (const read of rows) {
      batch.push(...read);
      if (batch.length >= BATCH) {
        send({ rows: batch });
        batch = [];
      }
    }
    if (batch.length > 0) send({ rows: batch });
    send({ done: true });
  } catch (err) {
    send({ error: err instanceof Error ? err.message : String(err), unreadable: err instanceof UnreadableWorkbook });
  }
}

port.on('message', (m: { start: ImportKind } | { chunk: Uint8Array } | { end: true }) => {
  if ('start' in m) {
    input = new Readable({ read() {} });
    void read(m.start, input);
  } else if ('chunk' in m) input?.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
  else input?.push(null);
});
