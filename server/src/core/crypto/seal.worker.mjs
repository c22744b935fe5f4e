// Worker-thread entry of the seal worker (seal-worker.ts). It registers tsx itself, like the sheet
// reader's worker (docs/decisions/0006-runtime-tsx.md), then loads the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./seal.worker.ts');
