/**
 * `codex-host keep-awake [on|off] [--json]` (docs/keep-awake.md): shows keep-awake's real state,
 * or changes the "Keep this computer awake" setting of the running host (`host/power/set`, saved
 * in its data dir). A running turn keeps the computer awake whatever the setting.
 */
import { Command } from 'commander';
import { keepAwakeStatusLine } from '../power/powerStatusLine.js';
import { CliError } from './cliError.js';
import { runHostCommand } from './hostCommand.js';

export async function keepAwakeCommand(opts: { dataDir: string; json: boolean; setting?: string }, out: (s: string) => void): Promise<void> {
  let keepAwake: boolean | undefined;
  if (opts.setting !== undefined) {
    const s = opts.setting.trim().toLowerCase();
    if (s !== 'on' && s !== 'off') throw new CliError(`keep-awake: expected "on" or "off", not ${JSON.stringify(opts.setting.slice(0, 40))}`, 2);
    keepAwake = s === 'on';
  }
  const state = await runHostCommand('keep-awake', opts.dataDir, (host) => (keepAwake === undefined ? host.call('host/power/get') : host.call('host/power/set', { keepAwake })));
  out(opts.json ? JSON.stringify(state, null, 2) : keepAwakeStatusLine(state).trim().replace(/^awake:\s+/, 'keep-awake: '));
}

/** Registers the subcommand (one line in main.ts). */
export function defineKeepAwakeCommand(program: Command, dataDirOption: readonly [string, string, string], out: (s: string) => void): void {
  program
    .command('keep-awake [setting]')
    .description('show whether the host keeps this computer awake, or turn the setting on|off (a running turn always keeps it awake)')
    .option(...dataDirOption)
    .option('--json', 'print the state as JSON')
    .action(async (setting: string | undefined, opts: { dataDir: string; json?: boolean }) => keepAwakeCommand({ dataDir: opts.dataDir, json: !!opts.json, setting }, out));
}
