#!/usr/bin/env node
// The test tiers as an executable rule (docs/architecture.md, "Tests"), run by `npm run typecheck`:
// a `*.test.ts` outside e2e/ is a UNIT test (no processes, no sockets) unless it is named
// `*.integration.test.ts`. This static scan refuses a unit test that imports what opens sockets
// or starts processes: node:net (beyond its pure address helpers), node:child_process, node:http,
// node:https, node:http2, node:tls, node:dgram, node:cluster, node:worker_threads, `ws`, the relay
// test peers (relay/testing/), and anything in e2e/.
//
// Its limits: it reads the test file's own imports only. Code under test that listens, connects
// or spawns by itself (a default runner, `fetch`, a server started by a production module) is not
// visible here; the unit project's setup file (scripts/unit-tier-guard.ts) fails those at the
// call. Type-only imports are allowed (they compile away).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Modules a unit test must not import for their values (`node:` prefix optional). */
const FORBIDDEN_BUILTINS = ['net', 'child_process', 'http', 'https', 'http2', 'tls', 'dgram', 'cluster', 'worker_threads'];
const FORBIDDEN_PACKAGES = ['ws'];
/** What `node:net` offers that opens nothing: address parsing. */
const PURE_NET_NAMES = new Set(['isIP', 'isIPv4', 'isIPv6', 'SocketAddress', 'BlockList']);
/** What `node:worker_threads` offers that starts no thread: in-memory message ports (Electron's MessageChannelMain stand-in). */
const PURE_WORKER_NAMES = new Set(['MessageChannel', 'MessagePort']);
/** Repo folders whose helpers open sockets or start processes. */
const SOCKET_HELPER_DIRS = ['relay/testing/', 'e2e/'];

// `import … from 'x'` / `export … from 'x'` with the clause (to tell type-only imports apart),
// side-effect imports, dynamic imports and require().
const FROM_RE = /(?:^|[\n;])\s*(?:import|export)\s+([^'"`;()=]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE_RE = /(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g;
const CALL_RE = /(?:^|[^.\w])(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Is `rel` (repo-relative) a file the unit tier runs? */
export function isUnitTest(rel) {
  return /\.test\.tsx?$/.test(rel) && !/\.integration\.test\.tsx?$/.test(rel) && !rel.startsWith('e2e/');
}

/** `{ a, type B, c as d }` → [{ name: 'a', type: false }, …]; undefined for default/namespace clauses. */
function namedImports(clause) {
  const m = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!m) return undefined;
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ({ type: /^type\s/.test(s), name: s.replace(/^type\s+/, '').split(/\s+as\s+/)[0].trim() }));
}

/** The value imports of `text`: [{ spec, names }] (names undefined = the whole module). */
export function valueImports(text) {
  const out = [];
  for (const m of text.matchAll(FROM_RE)) {
    const clause = m[1].trim();
    if (/^type\s/.test(clause)) continue;
    const named = namedImports(clause);
    if (named) {
      const values = named.filter((n) => !n.type).map((n) => n.name);
      if (values.length === 0) continue;
      out.push({ spec: m[2], names: values });
    } else out.push({ spec: m[2], names: undefined });
  }
  for (const m of text.matchAll(BARE_RE)) out.push({ spec: m[1], names: undefined });
  for (const m of text.matchAll(CALL_RE)) out.push({ spec: m[1], names: undefined });
  return out;
}

/** Resolves a relative specifier against the repo-relative file `fromRel`. */
function resolveRel(fromRel, spec) {
  const parts = fromRel.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** Why importing `spec` (with these value `names`) from `rel` breaks the unit tier, or undefined. */
function problemOf(rel, spec, names) {
  const builtin = spec.replace(/^node:/, '');
  if (FORBIDDEN_BUILTINS.includes(builtin)) {
    if (builtin === 'net' && names && names.every((n) => PURE_NET_NAMES.has(n))) return undefined;
    if (builtin === 'worker_threads' && names && names.every((n) => PURE_WORKER_NAMES.has(n))) return undefined;
    return names ? `${spec} (${names.join(', ')})` : spec;
  }
  if (FORBIDDEN_PACKAGES.includes(spec)) return spec;
  if (spec.startsWith('.')) {
    const to = resolveRel(rel, spec);
    if (SOCKET_HELPER_DIRS.some((d) => `${to}/`.startsWith(d) || to.startsWith(d))) return `${spec} (opens sockets or starts processes)`;
  }
  return undefined;
}

/** Every tier problem of the repo-relative file `rel` with contents `text`. */
export function checkTestTier(rel, text) {
  if (!isUnitTest(rel)) return [];
  const base = rel.replace(/\.test\.(tsx?)$/, '.integration.test.$1');
  const problems = [];
  for (const { spec, names } of valueImports(text)) {
    const what = problemOf(rel, spec, names);
    if (what) problems.push(`${rel}: imports ${what}: unit tests run without processes or sockets; rename it to ${base.split('/').at(-1)} or inject the socket or spawner`);
  }
  return problems;
}

function* testFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* testFiles(p);
    else if (/\.test\.tsx?$/.test(name)) yield p;
  }
}

function main() {
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  const problems = [];
  for (const dir of ['shared', 'host', 'relay', 'electron', 'renderer', 'scripts', 'bench']) {
    const root = join(ROOT, dir);
    try {
      statSync(root);
    } catch {
      continue;
    }
    for (const file of testFiles(root)) problems.push(...checkTestTier(relative(ROOT, file), readFileSync(file, 'utf8')));
  }
  if (problems.length) {
    console.error(`Test tier check failed (docs/architecture.md, "Tests"):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('test tiers ok');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
