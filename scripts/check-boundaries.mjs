#!/usr/bin/env node
// Process boundaries as an executable rule (style.md G7), run by `npm run typecheck`:
// - shared/ imports nothing from Node, Electron, ws or the host/relay folders (it also compiles
//   without Node or DOM types, see shared/tsconfig.json);
// - only electron/main and electron/preload may import `electron`;
// - relay/ does not depend on the host core.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

const rules = [
  {
    scope: (f) => f.startsWith('shared/') && !f.endsWith('.test.ts') && !f.includes('/testdata/'),
    bad: (spec) => spec.startsWith('node:') || spec === 'ws' || spec === 'electron' || /(^|\/)\.\.\/(electron|relay|e2e|bench)\//.test(spec),
    why: 'shared/ must run in Node and browsers: no Node, Electron or ws imports, and no imports from electron/, relay/, e2e/ or bench/',
  },
  {
    scope: (f) => !f.startsWith('electron/main/') && !f.startsWith('electron/preload/'),
    bad: (spec) => spec === 'electron' || spec.startsWith('electron/'),
    why: 'only electron/main and electron/preload may import electron',
  },
  {
    scope: (f) => f.startsWith('relay/'),
    bad: (spec) => /(^|\/)electron\/host\//.test(spec),
    why: 'relay/ is standalone: it may not import the host core',
  },
];

const problems = [];
for (const dir of ['shared', 'electron', 'relay', 'e2e', 'bench', 'renderer']) {
  let root;
  try {
    root = join(ROOT, dir);
    statSync(root);
  } catch {
    continue;
  }
  for (const file of files(root)) {
    const rel = relative(ROOT, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      for (const r of rules) if (r.scope(rel) && r.bad(spec)) problems.push(`${rel}: imports '${spec}' — ${r.why}`);
    }
  }
}
if (problems.length) {
  console.error(`Boundary check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('boundaries ok');
