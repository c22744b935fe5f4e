// Worker-thread entry of the sheet reader (sheet-reader.ts). A worker does not share the parent's
// module hooks in every runner (vitest, tsx), so it registers tsx itself, like bin/courtyard.mjs
// (docs/decisions/0006-runtime-tsx.md), then loads the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./sheet.worker.ts');
