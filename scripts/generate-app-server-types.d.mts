// Types of scripts/generate-app-server-types.mjs for the tests that import it.

/** Where the bindings are checked in (shared/protocol/appServer). */
export declare const BINDINGS_DIR: string;
/** The generator flavours and their sub-folders. */
export declare const FLAVOURS: ReadonlyArray<{ readonly folder: 'stable' | 'experimental'; readonly args: readonly string[] }>;
/** Our do-not-edit line, added below the generator's own header. */
export declare const HEADER: string;

/** The native codex binary of the installed @openai/codex platform package. */
export declare function findBundledCodex(): string;
/** `codex --version` → `0.171.0`. */
export declare function codexVersion(bin: string): string;
/** Adds `.js` / `/index.js` to relative specifiers and our header line. */
export declare function postProcess(text: string, isDir: (spec: string) => boolean): string;
/** Every file under a folder: POSIX relative path → text. */
export declare function readTree(dir: string): Map<string, string>;
/** The generated folder's README. */
export declare function readme(version: string, counts: { stable: number; experimental: number }): string;
/** Runs both generators of `bin` into `outDir`; returns the version. */
export declare function generateBindings(bin: string, outDir: string): string;

export interface ChangedFile {
  readonly path: string;
  /** 1-based number of the first line that differs. */
  readonly line: number;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
}
export interface TreeDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedFile[];
}
export declare function diffTrees(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>): TreeDiff;
/** '' when equal, else counts, names and first differing lines. */
export declare function formatDiff(diff: TreeDiff, max?: number): string;
/** Generates `bin`'s bindings into a temp folder and compares them with `dir`. */
export declare function checkBindings(bin: string, dir?: string): { version: string; summary: string };
