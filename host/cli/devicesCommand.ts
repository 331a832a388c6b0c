/** `codex-host devices [--json]` and `codex-host devices revoke ID`. */
import { HOST_METHODS } from '../../shared/protocol/hostMethods.js';
import { RpcError } from '../../shared/rpc/rpcError.js';
import { parseUnknown } from '../../shared/util/schema.js';
import { connectControl } from '../control/controlClient.js';
import { CliError } from './cliError.js';

export async function devicesListCommand(opts: { dataDir: string; json: boolean }, out: (s: string) => void): Promise<void> {
  const conn = await connectControl(opts.dataDir);
  try {
    const r = parseUnknown(HOST_METHODS['host/devices/list'].result, await conn.request('host/devices/list', {}), 'host/devices/list result');
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
  } finally {
    conn.close(1000, 'done');
  }
}

export async function devicesRevokeCommand(opts: { dataDir: string; deviceId: string }, out: (s: string) => void): Promise<void> {
  const id = opts.deviceId.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) throw new CliError(`devices revoke: "${opts.deviceId}" is not a device id (32 hex characters; see \`codex-host devices\`)`, 2);
  const conn = await connectControl(opts.dataDir);
  try {
    const r = parseUnknown(HOST_METHODS['host/devices/revoke'].result, await conn.request('host/devices/revoke', { deviceId: id }), 'host/devices/revoke result');
    if (!r.revoked) throw new CliError(`devices revoke: no trusted device with id ${id}`);
    out(`Revoked ${id}${r.closedSessions ? `; ended ${r.closedSessions} live session(s)` : ''}. It can pair again with a new code.`);
  } catch (err) {
    if (err instanceof RpcError) throw new CliError(`devices revoke: ${err.message}`);
    throw err;
  } finally {
    conn.close(1000, 'done');
  }
}

export async function devicesRenameCommand(opts: { dataDir: string; deviceId: string; name: string }, out: (s: string) => void): Promise<void> {
  const id = opts.deviceId.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) throw new CliError(`devices rename: "${opts.deviceId}" is not a device id (32 hex characters; see \`codex-host devices\`)`, 2);
  const conn = await connectControl(opts.dataDir);
  try {
    const r = parseUnknown(HOST_METHODS['host/devices/rename'].result, await conn.request('host/devices/rename', { deviceId: id, name: opts.name }), 'host/devices/rename result');
    out(`Renamed ${id} to "${r.device.name}".`);
  } catch (err) {
    if (err instanceof RpcError) throw new CliError(`devices rename: ${err.message}`);
    throw err;
  } finally {
    conn.close(1000, 'done');
  }
}
