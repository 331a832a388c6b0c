/**
 * The seeded CODEX_HOME the browser benchmarks share (bench/rendererBench.ts, bench/phoneBench.ts):
 * `threads` one-turn threads, one `turns`-turn thread and one 1-turn thread, made through the
 * engine's own API (a bridge connection of `serve --ui`, like the desktop page's). Seeding 1,000
 * threads takes 15-40 minutes on the 2-core box, so the home is kept in
 * `.test-output/bench-renderer-cache-<threads>-<turns>/` and reused by every later run of either
 * benchmark (threads persist in CODEX_HOME, docs/engine.md §3). `meta.json` is written only once
 * the engine that seeded it has stopped, so a folder with it is a complete cache.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectInitialized, seedThread } from '../../e2e/app/bridgeClient.js';
import type { UiHost } from '../../e2e/app/appFixture.js';
import type { CodexHomeFixture } from '../../e2e/fixtures/codexHome.js';
import { TEST_OUTPUT_DIR } from '../../e2e/fixtures/codexHome.js';

/** More parallel seeders only contend for the two cores (measured: 8 workers seed slower than 2). */
const SEED_WORKERS = 2;

/** The two threads the benchmarks open by id (the newest two: seeded last). */
export interface SeededMeta {
  readonly longThread: string;
  readonly shortThread: string;
}

export interface SeedCache {
  readonly dir: string;
  /** The CODEX_HOME to run the engine with. */
  readonly home: string;
  /** The folder the threads were started in (trusted in config.toml). */
  readonly cwd: string;
  readonly threads: number;
  readonly turns: number;
  /** Set when the folder holds a complete earlier seeding. */
  readonly meta: SeededMeta | undefined;
}

/** Where the cache for these sizes lives (the same place for every benchmark). */
export function seedCacheDir(threads: number, turns: number): string {
  return join(TEST_OUTPUT_DIR, `bench-renderer-cache-${threads}-${turns}`);
}

/** Opens the cache for these sizes: a complete one as it is, anything else (or `reseed`) emptied. */
export async function openSeedCache(threads: number, turns: number, reseed = false): Promise<SeedCache> {
  const dir = seedCacheDir(threads, turns);
  let meta: SeededMeta | undefined;
  try {
    meta = reseed ? undefined : (JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as SeededMeta);
  } catch {
    meta = undefined;
  }
  if (!meta) await rm(dir, { recursive: true, force: true });
  const cache: SeedCache = { dir, home: join(dir, 'codex-home'), cwd: join(dir, 'workdir'), threads, turns, meta };
  await mkdir(cache.home, { recursive: true });
  await mkdir(cache.cwd, { recursive: true });
  return cache;
}

/**
 * A `prepareHome` for the e2e host starters: the engine runs on the cache's CODEX_HOME, with the
 * fixture's config.toml (this run's fake model) plus the cache's folder as a trusted project.
 */
export function useSeedCacheHome(cache: SeedCache): (home: CodexHomeFixture) => Promise<void> {
  return async (home) => {
    const config = await readFile(home.configPath, 'utf8');
    await writeFile(join(cache.home, 'config.toml'), `${config}\n[projects.${JSON.stringify(cache.cwd)}]\ntrust_level = "trusted"\n`, { mode: 0o600 });
    home.env.CODEX_HOME = cache.home;
  };
}

/** Creates `count` threads with one turn each, `SEED_WORKERS` at a time, through the bridge. */
async function seedManyThreads(ui: Pick<UiHost, 'origin' | 'token'>, count: number, cwd: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_WORKERS }, async (_, w) => {
      const d = await connectInitialized(ui, `bench-seed-${w}`);
      for (let i = next++; i < count; i = next++) await seedThread(d, cwd, 1, () => `Benchmark thread ${i + 1}: ${'refactor the module '.repeat(2)}`);
      await d.close();
    }),
  );
}

/** Seeds the cache through the bridge of a host running on it (`useSeedCacheHome`); call `completeSeedCache` after that host stopped. */
export async function seedThreads(ui: Pick<UiHost, 'origin' | 'token'>, cache: SeedCache): Promise<SeededMeta> {
  await seedManyThreads(ui, cache.threads, cache.cwd);
  const seed = await connectInitialized(ui, 'bench-seed-long');
  const longThread = await seedThread(seed, cache.cwd, cache.turns, (i) => `turn number ${i}`);
  const shortThread = await seedThread(seed, cache.cwd, 1, () => 'a one-turn thread');
  await seed.close();
  return { longThread, shortThread };
}

/** Marks the cache complete (once the engine that seeded it has stopped). */
export async function completeSeedCache(cache: SeedCache, meta: SeededMeta): Promise<void> {
  await writeFile(join(cache.dir, 'meta.json'), JSON.stringify(meta));
}
