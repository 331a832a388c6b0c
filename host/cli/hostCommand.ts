/**
 * The skeleton every CLI command that talks to the running host shares: connect through the
 * control endpoint, run, close, and turn a failure into one clear line that names the command
 * and, when the host closed the connection, its real close code and reason (e.g. `1013: too
 * many cli clients (max 16)`), never a stack trace.
 */
import type { HostClient } from '../../shared/protocol/hostClient.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { withHostClient } from '../control/controlClient.js';
import { CliError } from './cliError.js';

export async function runHostCommand<T>(command: string, dataDir: string, use: (host: HostClient) => Promise<T>): Promise<T> {
  try {
    return await withHostClient(dataDir, use);
  } catch (err) {
    if (err instanceof RpcError) throw cliErrorOf(command, err);
    throw err;
  }
}

function cliErrorOf(command: string, err: RpcError): CliError {
  if (err.code === RpcErrorCode.ConnectionClosed) {
    const data = (typeof err.data === 'object' && err.data !== null ? err.data : {}) as { closeCode?: unknown; closeReason?: unknown };
    const code = typeof data.closeCode === 'number' ? data.closeCode : 1006;
    const reason = typeof data.closeReason === 'string' && data.closeReason ? `: ${data.closeReason}` : '';
    return new CliError(`${command}: the host closed the connection (${code}${reason})`);
  }
  return new CliError(`${command}: ${err.message}`);
}
