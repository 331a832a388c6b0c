import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (*.test.ts); multi-process tests live in e2e/ (*.test.ts).
// Playwright specs (*.spec.ts) are not vitest files.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'host/**/*.test.ts', 'relay/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts', 'scripts/**/*.test.ts', 'electron/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
