/** `codex-host devices [--json]`, `codex-host devices revoke ID` and `codex-host devices rename ID NAME`. */
import { DeviceIdSchema } from '../../shared/protocol/hostMethods.js';
import { CliError } from './cliError.js';
import { runHostCommand } from './hostCommand.js';

export async function devicesListCommand(opts: { dataDir: string; json: boolean }, out: (s: string) => void): Promise<void> {
  const r = await runHostCommand('devices', opts.dataDir, (host) => host.call('host/devices/list'));
  if (opts.json) {
    out(JSON.stringify(r, null, 2));
    return;
  }
  if (r.problem) out(`warning: ${r.problem}`);
  const active = r.devices.filter((d) => d.revokedAt === null);
  if (active.length === 0) {
    out('No device can control this host. Pair one with `codex-host pair`.');
    return;
  }
  out('Devices that can control this host:');
  for (const d of active) {
    out(`  ${d.deviceId}  ${d.name} (${d.kind}, ${d.platform})  paired ${d.pairedAt}${d.connected ? `  connected (${d.connected})` : d.lastSeen ? `  last seen ${d.lastSeen}` : ''}`);
  }
  out('Revoke one with `codex-host devices revoke <id>`.');
}

export async function devicesRevokeCommand(opts: { dataDir: string; deviceId: string }, out: (s: string) => void): Promise<void> {
  const id = deviceIdArgument('devices revoke', opts.deviceId);
  const r = await runHostCommand('devices revoke', opts.dataDir, (host) => host.call('host/devices/revoke', { deviceId: id }));
  if (!r.revoked) throw new CliError(`devices revoke: no trusted device with id ${id}`);
  out(`Revoked ${id}${r.closedSessions ? `; ended ${r.closedSessions} live session(s)` : ''}. It can pair again with a new code.`);
}

export async function devicesRenameCommand(opts: { dataDir: string; deviceId: string; name: string }, out: (s: string) => void): Promise<void> {
  const id = deviceIdArgument('devices rename', opts.deviceId);
  const r = await runHostCommand('devices rename', opts.dataDir, (host) => host.call('host/devices/rename', { deviceId: id, name: opts.name }));
  out(`Renamed ${id} to "${r.device.name}".`);
}

/** A device id as typed (any case, spaces around it) → the canonical form, or a usage error (exit 2). */
function deviceIdArgument(command: string, raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!DeviceIdSchema.safeParse(id).success) throw new CliError(`${command}: "${raw}" is not a device id (32 hex characters; see \`codex-host devices\`)`, 2);
  return id;
}
