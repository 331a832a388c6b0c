/**
 * The checked-in app-server bindings (shared/protocol/appServer) against the installed engine:
 * the pinned `codex` regenerates them into a temp folder, and any difference fails with a
 * summary (files added/removed/changed, first differing lines), so an engine upgrade shows its
 * protocol diff. Regenerate with `npm run protocol:generate` (docs/engine.md, "Versions").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDINGS_DIR, diffTrees, findBundledCodex, formatDiff, generateBindings, readTree } from '../scripts/generate-app-server-types.mjs';

let out: string;
let version: string;
let generated: Map<string, string>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'app-server-bindings-'));
  version = generateBindings(findBundledCodex(), out);
  generated = readTree(out);
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('generated app-server bindings', () => {
  it('come from the installed engine, which is the pinned @openai/codex', () => {
    const pkg = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@openai/codex/package.json'), 'utf8')) as { version: string };
    expect(version).toBe(pkg.version);
    expect(readFileSync(join(BINDINGS_DIR, 'README.md'), 'utf8')).toContain(`generated from **codex-cli ${version}**`);
  });

  it('match what the installed engine generates (else: npm run protocol:generate, and read the diff)', () => {
    const summary = formatDiff(diffTrees(readTree(BINDINGS_DIR), generated));
    expect(summary, `shared/protocol/appServer differs from the bindings of codex ${version}`).toBe('');
  });

  it('report a stale copy file by file, with the first differing line', () => {
    const stale = new Map(generated);
    const steer = 'stable/v2/TurnSteerParams.ts';
    stale.set(steer, (stale.get(steer) ?? '').replace('expectedTurnId', 'expectedTurn'));
    stale.delete('stable/v2/ThreadTurnsListParams.ts');
    stale.set('experimental/Stale.ts', '// not generated\n');

    const summary = formatDiff(diffTrees(stale, generated));
    expect(summary.split('\n')[0]).toBe('1 added, 1 removed, 1 changed');
    expect(summary).toMatch(/added[^\n]*:\n {2}stable\/v2\/ThreadTurnsListParams\.ts/);
    expect(summary).toMatch(/removed[^\n]*:\n {2}experimental\/Stale\.ts/);
    expect(summary).toMatch(/ {2}stable\/v2\/TurnSteerParams\.ts:\d+\n {4}checked in: .*expectedTurn:.*\n {4}generated: {2}.*expectedTurnId:/);
  });
});
