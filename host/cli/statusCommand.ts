/** `codex-host status [--json]`: host/info from the running host, as text or JSON. */
import type { PowerState } from '../../shared/protocol/features/powerApi.js';
import type { HostInfo } from '../../shared/protocol/hostMethods.js';
import { keepAwakeStatusLine } from '../power/powerStatusLine.js';
import { runHostCommand } from './hostCommand.js';

export async function statusCommand(opts: { dataDir: string; json: boolean }, out: (s: string) => void): Promise<void> {
  const { info, power } = await runHostCommand('status', opts.dataDir, async (host) => {
    const info = await host.call('host/info');
    return { info, power: info.features.includes('power') ? await host.call('host/power/get') : undefined };
  });
  out(opts.json ? JSON.stringify(power ? { ...info, power } : info, null, 2) : formatStatus(info, power));
}

export function formatStatus(info: HostInfo, power?: PowerState): string {
  const lines = [
    `Codex Host ${info.version} on ${info.hostName} (${info.platform})`,
    `  engine:   ${info.engine.state}${info.engine.version ? `, codex ${info.engine.version}` : ''}${info.engine.restarts ? `, ${info.engine.restarts} restart(s)` : ''}`,
    `  busy:     ${info.busy ? 'yes (a turn is running)' : 'no'}`,
  ];
  if (power) lines.push(keepAwakeStatusLine(power));
  if (info.audit.state !== 'ok') {
    lines.push(`  audit:    audit log unavailable: ${info.audit.error ?? 'cannot be written'}; approvals are refused until it can be written`);
  }
  if (info.hostId) lines.push(`  host id:  ${info.hostId}`);
  if (info.listener) lines.push(`  listener: ${info.listener}`);
  if (info.relay) {
    const r = info.remoteAccess;
    const state = r ? ` (${r.state}${r.lastError ? `; last error: ${r.lastError}` : ''})` : '';
    lines.push(`  relay:    ${info.relay}${state}`);
  }
  for (const w of info.warnings ?? []) lines.push(`  warning:  ${w}`);
  const others = info.environments.filter((e) => e.id !== 'local');
  for (const e of others) lines.push(`  env ${e.id}: ${e.state}${e.lastError ? ` (${e.lastError})` : ''}${e.busy ? ', busy' : ''}`);
  const clients = info.clients.filter((c) => c.kind !== 'cli');
  lines.push(`  clients:  ${clients.length === 0 ? 'none' : ''}`);
  for (const c of clients) lines.push(`    - ${c.kind.padEnd(7)} ${c.name || '(unnamed)'}  since ${c.connectedAt}${c.environmentId !== 'local' ? `  in ${c.environmentId}` : ''}`);
  return lines.join('\n');
}
