/**
 * What `codex-host ssh …` prints (docs/ssh.md, "CLI"): the host list, the progress lines while
 * connecting, and the one-line outcome. Pure functions of the host API's shapes, so the texts
 * are unit-tested without a host.
 */
import type { SshHostInfo, SshListResultSchema, SshPrompt } from '../../shared/protocol/features/sshApi.js';
import type { z } from 'zod';

type SshList = z.output<typeof SshListResultSchema>;

const PHASE_TEXT: Readonly<Record<NonNullable<SshHostInfo['phase']>, string>> = {
  resolving: 'resolving its settings',
  connecting: 'connecting',
  authenticating: 'authenticating',
  'checking-codex': 'checking codex',
  'starting-engine': 'starting the remote engine',
  ready: 'ready',
};

/** "connecting (checking codex)", "disconnected (retrying in 4 s)", "connected". */
export function stateText(h: SshHostInfo): string {
  if (h.state === 'connecting' && h.phase) return `connecting (${PHASE_TEXT[h.phase]})`;
  if (h.state === 'disconnected' && h.retryInMs !== undefined) return `disconnected (retrying in ${Math.max(1, Math.round(h.retryInMs / 1000))} s)`;
  return h.state;
}

/** A progress line while `ssh enable` waits ("  checking codex…"). */
export function phaseLine(phase: NonNullable<SshHostInfo['phase']>): string {
  return `  ${PHASE_TEXT[phase]}…`;
}

/** `user@host:port`, as far as it is known. */
export function targetText(h: SshHostInfo): string {
  const d = h.details;
  if (!d.hostName) return '';
  const port = d.port && d.port !== 22 ? `:${d.port}` : '';
  return `${d.user ? `${d.user}@` : ''}${d.hostName.includes(':') ? `[${d.hostName}]` : d.hostName}${port}`;
}

/** The line printed once a host is connected. */
export function connectedLine(h: SshHostInfo): string {
  const r = h.details.remote;
  const where = targetText(h);
  return `${h.name}: connected${r ? ` — codex ${r.codexVersion} as ${r.user}` : ''}${where ? ` on ${where}` : ''}${h.environmentId ? ` (environment ${h.environmentId})` : ''}`;
}

/**
 * The one line for a host that ended in an error, with what to run next when the CLI can do it
 * (an unknown host key is trusted with `ssh trust`).
 */
export function errorLine(h: SshHostInfo): string {
  const e = h.lastError;
  if (!e) return `${h.name}: ${h.state}`;
  if (e.code === 'host-key-unknown' && e.fingerprint) return `${h.name}: ${e.message}: run \`codex-host ssh trust ${h.name}\` to trust it`;
  if (e.code === 'sign-in' || e.code === 'codex-missing' || e.code === 'codex-too-old' || e.code === 'auth') return `${h.name}: ${e.message}`;
  return `${h.name}: ${e.message}${/[.)]$/.test(e.message) ? '' : '.'} ${e.fix}`;
}

/** The line for a prompt the CLI cannot ask here (no terminal). */
export function promptElsewhereLine(p: SshPrompt, now: number): string {
  const secs = Math.max(0, Math.round((Date.parse(p.expiresAt) - now) / 1000));
  return `${p.host}: ${p.title}: standard input is not a terminal, so it cannot be asked here; run this command in a terminal, or answer it in the desktop app (Settings > Connections > SSH) within ${secs} s`;
}

/** `codex-host ssh list` as text. */
export function listText(list: SshList): string[] {
  const out: string[] = [];
  if (list.hosts.length === 0) {
    out.push(`No SSH hosts: none in ${list.configFile}, none added by hand.`);
  } else {
    out.push(`SSH hosts (from ${list.configFile} and added by hand):`);
    const rows = list.hosts.map((h) => [h.name, h.source === 'manual' ? 'added' : 'config', h.enabled ? 'enabled' : 'disabled', stateText(h), describe(h)]);
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out.push(`  ${r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')}`.trimEnd());
  }
  if (list.problems.length) {
    out.push('Entries of the ssh config that could not be read:');
    for (const p of list.problems) out.push(`  ${p.file}${p.line !== undefined ? ` line ${p.line}` : ''}${p.alias ? ` (${p.alias})` : ''}: ${p.error}`);
  }
  for (const p of list.prompts) out.push(`Waiting for an answer: ${p.host}: ${p.title} (until ${p.expiresAt}); answer it with \`codex-host ssh enable ${p.host}\` in a terminal`);
  out.push('Enable a host with `codex-host ssh enable NAME`; add one with `codex-host ssh add NAME user@host[:port] [--identity FILE]`.');
  return out;
}

function describe(h: SshHostInfo): string {
  if (h.lastError && h.state !== 'connected') return h.lastError.message;
  const parts = [targetText(h)];
  if (h.details.remote) parts.push(`codex ${h.details.remote.codexVersion}`);
  if (h.details.via.length) parts.push(`via ${h.details.via.join(', ')}`);
  return parts.filter(Boolean).join('  ');
}
