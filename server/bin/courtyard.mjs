#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (see docs/decisions/0006-runtime-tsx.md).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/index.ts');
