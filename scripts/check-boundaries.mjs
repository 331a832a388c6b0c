#!/usr/bin/env node
// Process boundaries as an executable rule (style.md G7), run by `npm run typecheck`.
// Folder = environment (docs/architecture.md, "Layout"):
// - shared/     runs in Node and browsers: no Node, no Electron, no DOM-only code of ours;
// - host/       the Electron-free core (Node): never `electron`, never renderer/;
// - relay/      standalone: only shared/ and its own files;
// - renderer/   DOM only: shared/ and its own files, no Node built-ins, no Electron;
// - electron/   main/ (Node + Electron main) and preload/ (Electron renderer modules only);
// and every npm package a folder imports must be on that folder's list, so a new dependency
// is a decision, not an accident. Tests and fixtures (e2e/, bench/, *.test.*) may use anything.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// static imports and re-exports (`import x from 'y'`, `export * from 'y'`), side-effect imports
// (`import 'y'`), dynamic imports and `vi.mock('y')`-style specifiers are all caught.
const IMPORT_RE =
  /(?:^|[\n;])\s*(?:import|export)\s(?:[^'"`;()=]*?\sfrom\s*)?['"]([^'"]+)['"]|(?:^|[^.\w])import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Which npm packages each production folder may import (sub-paths count as the package). */
export const ALLOWED_PACKAGES = {
  shared: ['@noble/curves', '@noble/ciphers', '@noble/hashes', 'zod'],
  relay: ['ws', 'commander', 'zod', '@noble/curves', '@noble/ciphers', '@noble/hashes'],
  host: [
    'ws',
    'commander',
    'jose',
    'qrcode',
    'write-file-atomic',
    '@napi-rs/keyring',
    'zod',
    '@noble/curves',
    '@noble/ciphers',
    '@noble/hashes',
    'ssh2',
    'ssh-config',
    'web-push',
  ],
  // marked: markdown lexer (rendered to React elements, never to HTML); lowlight (+ its hast
  // types): the lazily loaded syntax highlighter; @tanstack/react-virtual: the thread list.
  renderer: [
    'react',
    'react-dom',
    'zustand',
    'qrcode',
    'zod',
    '@noble/curves',
    '@noble/ciphers',
    '@noble/hashes',
    'jsqr',
    'marked',
    'lowlight',
    'hast',
    '@tanstack/react-virtual',
  ],
  // @napi-rs/keyring: reading an identity `codex-host serve` left in the OS keyring (safeStorageSecretStore.ts).
  'electron/main': ['electron', 'ws', 'zod', '@napi-rs/keyring'],
  'electron/preload': ['electron'],
};

const NODE_BUILTIN = /^node:/;
const isTest = (f) => /\.(test|spec)\.[cm]?tsx?$/.test(f) || f.includes('/testing/');

function packageOf(spec) {
  if (spec.startsWith('.') || spec.startsWith('/') || NODE_BUILTIN.test(spec)) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The folder (a key of ALLOWED_PACKAGES) a repo-relative path belongs to, if any. */
function folderOf(rel) {
  for (const key of ['electron/main', 'electron/preload', 'shared', 'relay', 'host', 'renderer']) {
    if (rel === key || rel.startsWith(`${key}/`)) return key;
  }
  return undefined;
}

/** Resolves a relative specifier to a repo-relative path (for cross-folder rules). */
function target(fromRel, spec) {
  if (!spec.startsWith('.')) return undefined;
  const parts = fromRel.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

const rules = [
  {
    scope: (f) => f.startsWith('shared/') && !isTest(f),
    bad: (spec, to) => NODE_BUILTIN.test(spec) || (to !== undefined && !to.startsWith('shared/')),
    why: 'shared/ must run in Node and browsers: no Node built-ins, and nothing outside shared/',
  },
  {
    scope: (f) => f.startsWith('relay/') && !isTest(f),
    bad: (_spec, to) => to !== undefined && !to.startsWith('relay/') && !to.startsWith('shared/'),
    why: 'relay/ is standalone: it imports only shared/ and its own files',
  },
  {
    scope: (f) => f.startsWith('host/'),
    bad: (spec, to) => spec === 'electron' || spec.startsWith('electron/') || (to !== undefined && (to.startsWith('electron/') || to.startsWith('renderer/'))),
    why: 'host/ is the Electron-free core: no electron, no electron/ or renderer/ code',
  },
  {
    scope: (f) => f.startsWith('renderer/') && !isTest(f),
    bad: (spec, to) =>
      NODE_BUILTIN.test(spec) || spec === 'electron' || (to !== undefined && !to.startsWith('renderer/') && !to.startsWith('shared/')),
    why: 'renderer/ is DOM only: shared/ and its own files, no Node built-ins, no Electron',
  },
  {
    scope: (f) => !f.startsWith('electron/main/') && !f.startsWith('electron/preload/') && !isTest(f),
    bad: (spec) => spec === 'electron' || spec.startsWith('electron/'),
    why: 'only electron/main and electron/preload may import electron',
  },
  {
    scope: (f) => f.startsWith('electron/preload/') && !isTest(f),
    bad: (spec, to) => (to !== undefined && !to.startsWith('electron/preload/')) || NODE_BUILTIN.test(spec),
    why: 'the preload hands over a port and the platform, nothing else: no Node built-ins, no other folders',
  },
  {
    scope: (f) => folderOf(f) !== undefined && !isTest(f),
    bad: (spec, _to, f) => {
      const pkg = packageOf(spec);
      return pkg !== undefined && !ALLOWED_PACKAGES[folderOf(f)].includes(pkg);
    },
    why: 'this npm package is not on the folder\'s list (scripts/check-boundaries.mjs ALLOWED_PACKAGES): add it there on purpose',
  },
];

/** The import specifiers of one source text (exported for tests). */
export function importsOf(text) {
  return [...text.matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2]);
}

/** Every boundary problem in `text`, the contents of the repo-relative file `rel`. */
export function checkFile(rel, text) {
  const problems = [];
  for (const spec of importsOf(text)) {
    const to = target(rel, spec);
    for (const r of rules) if (r.scope(rel) && r.bad(spec, to, rel)) problems.push(`${rel}: imports '${spec}' — ${r.why}`);
  }
  return problems;
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

function main() {
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  const problems = [];
  for (const dir of ['shared', 'host', 'electron', 'relay', 'renderer', 'e2e', 'bench']) {
    const root = join(ROOT, dir);
    try {
      statSync(root);
    } catch {
      continue;
    }
    for (const file of files(root)) problems.push(...checkFile(relative(ROOT, file), readFileSync(file, 'utf8')));
  }
  if (problems.length) {
    console.error(`Boundary check failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('boundaries ok');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
