#!/usr/bin/env node
// `npm start`: builds the web UI when its sources are newer than the last build, then runs the
// server (TypeScript through tsx; see docs/decisions/0006-runtime-tsx.md). Signals are passed on
// so that Ctrl-C and SIGTERM drain the server properly.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'web/dist/index.html');

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((name) => newest(path.join(p, name))));
}

const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/public', 'contracts/src'].map((p) => newest(path.join(root, p)));
if (!fs.existsSync(built) || Math.max(...sources) > fs.statSync(built).mtimeMs) {
  console.log('Building the web UI (once, or after its sources change)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/cli/index.ts'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
