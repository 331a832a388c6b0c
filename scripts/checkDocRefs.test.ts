/** The doc-reference rule: citations must open, and nothing cites the issue tracker or the team folder. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkDocRefs } from './check-doc-refs.mjs';

const check = checkDocRefs as (rel: string, text: string, exists: (p: string) => boolean) => string[];
const repo = new Set(['docs/engine.md', 'docs/ssh.md', 'README.md', 'host/ssh/NOTES.md']);
const exists = (p: string) => repo.has(p.replace(/^\.\//, ''));

describe('check-doc-refs', () => {
  it('accepts a doc in docs/, a path from the root and a path from the file', () => {
    expect(check('host/ssh/x.ts', '// see engine.md §4, docs/ssh.md and README.md\n// and ./NOTES.md', exists)).toEqual([]);
  });
  it('refuses a doc that is not in the repository, naming the line', () => {
    expect(check('host/hub/x.ts', 'a\n * (design.md §4)', exists)).toEqual(['host/hub/x.ts:2: cites design.md, which is not in the repository (docs/…)']);
  });
  it('refuses issue numbers and the team folder', () => {
    const problems = check('host/x.ts', '// issue #10 §3\n// /work/shared/docs/x\n// ../shared/docs/red-team', exists);
    expect(problems.map((p) => p.split(': cites ')[1])).toEqual([
      'issue #10: cite a doc in docs/ instead',
      '/work/shared: cite a doc in docs/ instead',
      'shared/docs/: cite a doc in docs/ instead',
    ]);
  });
});
