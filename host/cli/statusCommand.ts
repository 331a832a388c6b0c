/** `codex-host status [--json]`: host/info from the running host, as text or JSON. */
import type { HostInfo } from '../../shared/protocol/hostMethods.js';
import { HostInfoSchema } from '../../shared/protocol/hostMethods.js';
import { parseUnknown } from '../../shared/util/schema.js';
import { connectControl } from '../control/controlClient.js';

export async function statusCommand(opts: { dataDir: string; json: boolean }, out: (s: string) => void): Promise<void> {
  const conn = await connectControl(opts.dataDir);
  try {
    const info = parseUnknown(HostInfoSchema, await conn.request('host/info'), 'host/info result');
    out(opts.json ? JSON.stringify(info, null, 2) : formatStatus(info));
  } finally {
    conn.close(1000, 'done');
  }
}

export function formatStatus(info: HostInfo): string {
  const lines = [
    `Codex Host ${info.version} on ${info.hostName} (${info.platform})`,
    `  engine:   ${info.engine.state}${info.engine.version ? `, codex ${info.engine.version}` : ''}${info.engine.restarts ? `, ${info.engine.restarts} restart(s)` : ''}`,
    `  busy:     ${info.busy ? 'yes (a turn is running)' : 'no'}`,
  ];
  if (info.hostId) lines.push(`  host id:  ${info.hostId}`);
  if (info.listener) lines.push(`  listener: ${info.listener}`);
  if (info.relay) lines.push(`  relay:    ${info.relay}`);
  for (const w of info.warnings ?? []) lines.push(`  warning:  ${w}`);
  const others = info.clients.filter((c) => c.kind !== 'cli');
  lines.push(`  clients:  ${others.length === 0 ? 'none' : ''}`);
  for (const c of others) lines.push(`    - ${c.kind.padEnd(7)} ${c.name || '(unnamed)'}  since ${c.connectedAt}`);
  return lines.join('\n');
}
