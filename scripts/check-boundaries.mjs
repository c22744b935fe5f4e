#!/usr/bin/env node
// Module-boundary check (ARCHITECTURE.md, "Modules form layers"). Fails when:
//  - server/src/core imports a module (the kernel knows no business);
//  - a module imports another module other than through its index.ts;
//  - a module imports a module of a higher layer;
//  - web/ or contracts/ import server code, or contracts/ imports web code.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const LAYERS = {
  identity: 0, audit: 0, settings: 0, notifications: 0, files: 0,
  properties: 1, people: 1,
  billing: 2, 'service-desk': 2, equipment: 2, security: 2, notices: 2, archives: 2,
  reports: 3, 'data-exchange': 3, operations: 3, webhooks: 3,
};

function* files(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* files(full);
    } else if (/\.(ts|tsx)$/.test(entry.name)) yield full;
  }
}

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
const rel = (p) => path.relative(root, p);

for (const file of files(path.join(root, 'server/src'))) {
  const text = fs.readFileSync(file, 'utf8');
  const here = rel(file);
  const mine = /^server\/src\/modules\/([^/]+)\//.exec(here)?.[1];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = rel(path.resolve(path.dirname(file), spec));
    const theirs = /^server\/src\/modules\/([^/]+)(\/.*)?$/.exec(target);
    if (here.startsWith('server/src/core/') && theirs) {
      problems.push(`${here}: the core imports module ${theirs[1]}`);
    }
    if (!mine || !theirs || theirs[1] === mine) continue;
    const other = theirs[1];
    if (!/^\/index(\.js|\.ts)?$/.test(theirs[2] ?? '')) problems.push(`${here}: imports ${target} — use modules/${other}/index.ts`);
    if ((LAYERS[mine] ?? 99) < (LAYERS[other] ?? 99)) problems.push(`${here}: module ${mine} (layer ${LAYERS[mine]}) imports higher-layer module ${other} (layer ${LAYERS[other]})`);
  }
}
for (const [dir, banned] of [['web/src', ['server/']], ['contracts/src', ['server/', 'web/']]]) {
  for (const file of files(path.join(root, dir))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2];
      const target = spec.startsWith('.') ? rel(path.resolve(path.dirname(file), spec)) : spec;
      if (banned.some((b) => target.startsWith(b) || target.startsWith(`@courtyard/${b.slice(0, -1)}`))) problems.push(`${rel(file)}: imports ${spec}`);
    }
  }
}
for (const mod of fs.existsSync(path.join(root, 'server/src/modules')) ? fs.readdirSync(path.join(root, 'server/src/modules')) : []) {
  if (!(mod in LAYERS)) problems.push(`server/src/modules/${mod}: not assigned to a layer in scripts/check-boundaries.mjs`);
  if (!fs.existsSync(path.join(root, 'server/src/modules', mod, 'README.md'))) problems.push(`server/src/modules/${mod}: no README.md`);
}

if (problems.length) {
  console.error(`module boundaries violated:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('module boundaries: ok');
