import { parentPort } from 'node:worker_threads';
import { blindIndexWith, sealMany } from './field.js';

/** Body of the seal worker: `{ id, op, key, prefix, plains }` in, `{ id, values }` (or `{ id, error }`) out. */
const port = parentPort!;
port.on('message', (m: { id: number; op: 'seal' | 'index'; key: Uint8Array; prefix: string; plains: string[] }) => {
  try {
    const key = Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength);
    port.postMessage({ id: m.id, values: m.op === 'seal' ? sealMany(key, m.prefix, m.plains) : m.plains.map((p) => blindIndexWith(key, p)) });
  } catch (err) {
    port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
