#!/usr/bin/env node
// `npm test`: system packages → type checks → build → every vitest test (both projects of
// vitest.config.ts: the unit tier, then the integration tier with e2e/), the slowest files (from
// the JSON report, for profiling), then one plain closing line "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { ensureSystemDeps } from './system-deps.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
}

ensureSystemDeps();
for (const step of [['npm', ['run', '-s', 'typecheck']], ['npm', ['run', '-s', 'build']]]) {
  if (run(step[0], step[1]) !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
mkdirSync('.test-output', { recursive: true });
const report = '.test-output/vitest.json';
rmSync(report, { force: true });
const extra = process.argv.slice(2);
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  // a suite that failed to load has no tests counted: count it as a failure
  for (const s of r.testResults ?? []) if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) failed += 1;
  const slowest = (r.testResults ?? [])
    .map((s) => ({ file: relative(process.cwd(), s.name), s: (s.endTime - s.startTime) / 1000 }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 8);
  if (slowest.length) console.log(`slowest files (s): ${slowest.map((f) => `${f.file} ${f.s.toFixed(1)}`).join(', ')}`);
} else if (status !== 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 ? (failed === 0 ? 1 : status) : 0);
