/**
 * Whether a Mac runs on battery, from `pmset -g batt`, whose first line is
 * "Now drawing from 'AC Power'" or "Now drawing from 'Battery Power'" (or 'UPS Power').
 */

/** Runs a command and resolves to its stdout (`execFile` promisified fits). */
export type ExecText = (command: string, args: readonly string[]) => Promise<string>;

/** Parses `pmset -g batt` output: true on battery (or UPS), false on AC, undefined if unknown. */
export function parsePmsetBatt(output: string): boolean | undefined {
  // (`\s` rather than a space: scripts/check-boundaries.mjs would read ` from '…'` as an import)
  const m = /drawing\sfrom\s'([^']+)'/.exec(output);
  if (!m) return undefined;
  // 'UPS Power' means the mains failed and a UPS battery carries the machine.
  if (m[1] === 'Battery Power' || m[1] === 'UPS Power') return true;
  if (m[1] === 'AC Power') return false;
  return undefined;
}

export async function readMacOnBattery(exec: ExecText): Promise<boolean | undefined> {
  return parsePmsetBatt(await exec('pmset', ['-g', 'batt']));
}
