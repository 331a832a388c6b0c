import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two tiers (docs/architecture.md, "Tests"), one vitest project each:
// - unit: `*.test.ts` beside the code, no processes and no sockets (scripts/unit-tier-guard.ts
//   fails a test that tries; scripts/check-test-tiers.mjs refuses the imports in typecheck).
//   Light and CPU-bound: worker threads, one per core.
// - integration: `*.integration.test.ts` beside the code (real sockets, child processes) and
//   everything in e2e/ (real engines, relays, sshd, Chromium, the TUI). These mostly wait on
//   other processes, so more files run at once than there are cores; each file is its own
//   process (forks), so a file's engines and signals never meet another's.
// Playwright specs (*.spec.ts) are not vitest files.
const FOLDERS = ['shared', 'host', 'relay', 'scripts', 'electron', 'renderer'];
const EXCLUDE = ['**/node_modules/**', 'dist/**'];
const cores = availableParallelism();
/** Integration files at once: waiting-bound, so above the core count; TEST_INTEGRATION_WORKERS overrides. */
const INTEGRATION_WORKERS = Number(process.env.TEST_INTEGRATION_WORKERS) || Math.max(2, cores + 1);

export default defineConfig({
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
          include: [...FOLDERS.map((f) => `${f}/**/*.integration.test.{ts,tsx}`), 'e2e/**/*.test.ts'],
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
