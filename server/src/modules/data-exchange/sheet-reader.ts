import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ImportKind } from '@courtyard/contracts';
import { COLUMNS, type HeaderMatch } from './formats.js';
import { readDataSheet, UnreadableWorkbook, type SheetRow } from './workbook.js';

/**
 * Reads an upload's data sheet, on a worker thread for large files.
 *
 * Why a worker: unzipping and parsing the sheet XML is most of an import's time, and on the main
 * thread it competes with the row checks and with the garbage collector of a process that already
 * holds the parsed rows (the same 100,000-row file read in 2.3 s or in 10 s in one process). On
 * its own thread and heap it overlaps with the checks.
 *
 * One worker per process, started on the first large upload (loading ExcelJS and the column
 * definitions takes a second or more), reading one file at a time, and stopped after
 * {@link IDLE_MS} without work; it never keeps the process alive. Small files are read in-process.
 */
export const WORKER_MIN_BYTES = 256 * 1024;
const IDLE_MS = 5 * 60_000;

/** What the worker sends back (sheet.worker.ts). */
export type SheetMessage =
  | { header: { columns: HeaderMatch['columns']; missing: string[] }; row: number }
  | { rows: SheetRow[] }
  | { done: true }
  | { error: string; unreadable: boolean };

let shared: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
/** Reads take turns on the one worker. */
let turn: Promise<void> = Promise.resolve();

function sheetWorker(): Worker {
  if (!shared) {
    const worker = new Worker(new URL('./sheet.worker.mjs', import.meta.url), { execArgv: [] });
    worker.on('exit', () => {
      if (shared === worker) shared = undefined;
    });
    // Reported to the read in progress (its own listener); without one, a dead worker is replaced.
    worker.on('error', () => undefined);
    worker.unref();
    shared = worker;
  }
  clearTimeout(idleTimer);
  return shared;
}

/** Starts the worker ahead of a large read (the upload does, so validation finds it loaded). */
export function warmSheetReader(): void {
  sheetWorker();
  rest();
}

function rest(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void shared?.terminate(), IDLE_MS);
  idleTimer.unref();
}

/** The rows of the upload's data sheet, in batches. */
export function readSheet(input: Readable, size: number | null, kind: ImportKind, onHeader: (match: HeaderMatch, headerRow: number) => void): AsyncGenerator<SheetRow[]> {
  return size !== null && size >= WORKER_MIN_BYTES ? readSheetInWorker(input, kind, onHeader) : readDataSheet(input, kind, onHeader);
}

/** {@link readDataSheet} on the worker thread: same rows, same header callback, same errors. */
export async function* readSheetInWorker(input: Readable, kind: ImportKind, onHeader: (match: HeaderMatch, headerRow: number) => void): AsyncGenerator<SheetRow[]> {
  const previous = turn;
  let release!: () => void;
  turn = new Promise<void>((r) => (release = r));
  await previous;

  const worker = sheetWorker();
  worker.ref();
  const inbox: SheetMessage[] = [];
  let stopped: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onMessage = (m: SheetMessage) => {
    inbox.push(m);
    notify();
  };
  const onError = (err: Error) => {
    stopped ??= err;
    notify();
  };
  const onExit = (code: number) => onError(new Error(`the sheet reader stopped (exit code ${code})`));
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  worker.postMessage({ start: kind });
  // The bytes go over as they are read (copied: stream chunks may share a pooled buffer).
  const feed = async () => {
    for await (const chunk of input) worker.postMessage({ chunk: chunk as Buffer });
    worker.postMessage({ end: true });
  };
  feed().catch(onError);

  let finished = false;
  try {
    for (;;) {
      if (inbox.length === 0) {
        if (stopped) throw stopped;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      const m = inbox.shift()!;
      if ('rows' in m) yield m.rows;
      else if ('header' in m) {
        const missing = new Set(m.header.missing);
        onHeader({ columns: m.header.columns, missing: COLUMNS[kind].filter((c) => missing.has(c.key)) }, m.row);
      } else if ('done' in m) {
        finished = true;
        return;
      } else {
        finished = true;
        throw m.unreadable ? new UnreadableWorkbook(m.error) : new Error(m.error);
      }
    }
  } finally {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    if (finished) {
      worker.unref();
      rest();
    } else {
      // Stopped half-way (too many rows, an error): the worker is still busy with this file.
      input.destroy();
      await worker.terminate();
    }
    release();
  }
}
