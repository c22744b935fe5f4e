import { Worker } from 'node:worker_threads';

/**
 * Field encryption and blind indexes on a worker thread, for bulk work that can overlap them with
 * its own (an import's commit seals the next 10,000 persons while it writes these; its validation
 * hashes phones and ID numbers while it reads the sheet). One worker per
 * process, started on first use, stopped after {@link IDLE_MS} idle; it never keeps the process
 * alive. The derived encryption key goes to the worker with each batch: a thread of the same
 * process, nothing leaves it.
 */
const IDLE_MS = 60_000;

interface Reply {
  id: number;
  values?: string[];
  error?: string;
}

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (values: string[]) => void; reject: (err: Error) => void }>();

function failAll(err: Error): void {
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function sealer(): Worker {
  if (!worker) {
    const started = new Worker(new URL('./seal.worker.mjs', import.meta.url), { execArgv: [] });
    started.on('message', (m: Reply) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.values) w?.resolve(m.values);
      else w?.reject(new Error(m.error ?? 'the seal worker failed'));
      if (waiting.size === 0) rest();
    });
    started.on('error', (err) => failAll(err));
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the seal worker stopped (exit code ${code})`));
    });
    worker = started;
  }
  clearTimeout(idleTimer);
  worker.ref();
  return worker;
}

function rest(): void {
  worker?.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void worker?.terminate(), IDLE_MS);
  idleTimer.unref();
}

/** `seal`: {@link sealMany} with `key` and `prefix`; `index`: {@link blindIndexWith} with `key`. */
export function offThread(op: 'seal' | 'index', key: Buffer, prefix: string, plains: readonly string[]): Promise<string[]> {
  const id = (nextId += 1);
  const target = sealer();
  return new Promise<string[]>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    target.postMessage({ id, op, key, prefix, plains });
  });
}
