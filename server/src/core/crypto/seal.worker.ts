import { parentPort } from 'node:worker_threads';
import { sealMany } from './field.js';

/** Body of the seal worker: `{ id, key, prefix, plains }` in, `{ id, sealed }` (or `{ id, error }`) out. */
const port = parentPort!;
port.on('message', (m: { id: number; key: Uint8Array; prefix: string; plains: string[] }) => {
  try {
    port.postMessage({ id: m.id, sealed: sealMany(Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength), m.prefix, m.plains) });
  } catch (err) {
    port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
