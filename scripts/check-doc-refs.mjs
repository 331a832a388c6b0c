#!/usr/bin/env node
// Comments cite docs a maintainer can open (docs/style.md G15): every `*.md` file named in a
// source file must exist in the repository (a path from the repo root or from the file, or a
// file in docs/), and nothing cites the issue tracker ("issue #N") or the team folder, which a
// reader of the code does not have. Run by `npm run typecheck`.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MD_RE = /(?<![\w/.-])((?:\.{1,2}\/)*[\w-]+(?:\/[\w.-]+)*\.md)\b/g;
const BANNED = [/\bissue #\d+/i, /\/work\/shared\b/, /\bshared\/docs\//];

/** Problems in one file's text (exported for tests). */
export function checkDocRefs(rel, text, exists) {
  const problems = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(MD_RE)) {
      const ref = m[1];
      const candidates = ref.includes('/') ? [ref, join(dirname(rel), ref)] : [join('docs', ref), ref];
      if (!candidates.some((c) => exists(c))) problems.push(`${rel}:${i + 1}: cites ${ref}, which is not in the repository (docs/…)`);
    }
    const banned = BANNED.find((re) => re.test(line));
    if (banned) problems.push(`${rel}:${i + 1}: cites ${banned.exec(line)[0]}: cite a doc in docs/ instead`);
  });
  return problems;
}

function main() {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'host', 'shared', 'relay', 'electron', 'renderer', 'e2e', 'bench', 'scripts'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|tsx|mts|mjs)$/.test(f) && !f.startsWith('shared/protocol/appServer/') && existsSync(join(ROOT, f)))
    // the rule's own test spells out what it refuses
    .filter((f) => f !== 'scripts/checkDocRefs.test.ts');
  const problems = files.flatMap((f) => checkDocRefs(f, readFileSync(join(ROOT, f), 'utf8'), (p) => existsSync(join(ROOT, p))));
  if (problems.length) {
    console.error(`Doc references failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('doc references ok');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
