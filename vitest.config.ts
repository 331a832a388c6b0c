import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two tiers (docs/architecture.md, "Tests"), one vitest project each:
// - unit: `*.test.ts` beside the code, no processes and no sockets (scripts/unit-tier-guard.ts
//   fails a test that tries; scripts/check-test-tiers.mjs refuses the imports in typecheck).
//   Light and CPU-bound: worker threads, one per core.
// - integration: `*.integration.test.ts` beside the code (real sockets, child processes) and
//   everything in e2e/ (real engines, relays, sshd, Chromium, the TUI). Each file is its own
//   process (forks), so a file's engines and signals never meet another's. e2e/ is listed first:
//   with no timings from an earlier run (a fresh CI machine) files start in this order, and the
//   long ones should not start last.
// Playwright specs (*.spec.ts) are not vitest files.
const FOLDERS = ['shared', 'host', 'relay', 'scripts', 'electron', 'renderer'];
const EXCLUDE = ['**/node_modules/**', 'dist/**'];
const cores = availableParallelism();
/**
 * Integration files at once: one per core (at least 2). They mostly wait, but what they wait for
 * (process starts, engines) is CPU-bound, and more than one file per core made the timing
 * assertions of the others (e.g. "closed within a second") flaky on a loaded 2-core machine.
 * TEST_INTEGRATION_WORKERS overrides.
 */
const INTEGRATION_WORKERS = Number(process.env.TEST_INTEGRATION_WORKERS) || Math.max(2, cores);

export default defineConfig({
  // The Electron preload is a .cts file (a sandboxed preload must be CommonJS); transform it like .ts.
  oxc: { include: /\.([cm]?ts|[jt]sx)$/ },
  test: {
    environment: 'node',
    // After-hooks run in reverse order of registration, so a file's own teardown runs before
    // that of the fixtures it registered first (e2e/fixtures/stack.ts relies on it).
    sequence: { hooks: 'stack' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: FOLDERS.map((f) => `${f}/**/*.test.{ts,tsx}`),
          exclude: [...EXCLUDE, '**/*.integration.test.*'],
          pool: 'threads',
          maxWorkers: Math.max(1, cores),
          setupFiles: ['scripts/unit-tier-guard.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['e2e/**/*.test.ts', ...FOLDERS.map((f) => `${f}/**/*.integration.test.{ts,tsx}`)],
          exclude: EXCLUDE,
          pool: 'forks',
          maxWorkers: INTEGRATION_WORKERS,
          // A test here is a sequence of process starts and turns: generous, as a loaded 2-core
          // machine makes each of them slow (inner waits have their own, tighter deadlines).
          testTimeout: 90_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
