// Types for scripts/start.mjs (the `npm start` launcher), for its unit test.
export const REPO_ROOT: string;
export type ElectronLookup = { readonly binary: string; readonly reason?: undefined } | { readonly reason: string; readonly binary?: undefined };
export function findElectronBinary(repoRoot?: string, env?: NodeJS.ProcessEnv): ElectronLookup;
export function noDisplayReason(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): string | undefined;
export type LaunchPlan = { readonly mode: 'electron'; readonly binary: string; readonly args: string[] } | { readonly mode: 'serve'; readonly reason: string; readonly args: string[] };
export function chooseLaunch(o: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; electron: ElectronLookup; serveHasUi: boolean; args?: string[] }): LaunchPlan;
export function serveSupportsUi(cli: string): boolean;
