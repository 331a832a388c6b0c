/**
 * The CLI side of the control endpoint: reads the control file, connects as a `cli` client
 * with its token, and returns a JSON-RPC connection to the hub (or a typed `HostClient` over
 * it). "Not running" is one clear error whether the file is missing, stale (the host crashed)
 * or unreadable.
 */
import { HostClient } from '../../shared/protocol/hostClient.js';
import { RpcConnection } from '../../shared/rpc/connection.js';
import { SchemaParseError } from '../../shared/util/schema.js';
import { readJsonFile } from '../storage/atomicFile.js';
import { openWsTransport } from '../transport/wsTransport.js';
import { ControlFileSchema, controlFilePath } from './controlFile.js';
import { errorMessage } from '../../shared/util/errors.js';

export class HostNotRunningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostNotRunningError';
  }
}

export async function connectControl(dataDir: string, options: { timeoutMs?: number } = {}): Promise<RpcConnection> {
  const file = controlFilePath(dataDir);
  let control;
  try {
    control = await readJsonFile(file, ControlFileSchema, 64 * 1024);
  } catch (err) {
    if (err instanceof SchemaParseError) throw new HostNotRunningError(`codex-host is not running: the control file ${file} is invalid (${err.issues.join('; ')})`);
    throw new HostNotRunningError(`codex-host is not running: cannot read ${file} (${errorMessage(err)})`);
  }
  if (!control) throw new HostNotRunningError(`codex-host is not running (no control file at ${file}); start it with \`codex-host serve\``);
  let transport;
  try {
    transport = await openWsTransport(control.url, { headers: { Authorization: `Bearer ${control.token}` }, handshakeTimeoutMs: options.timeoutMs ?? 5000 });
  } catch (err) {
    const msg = errorMessage(err);
    if (/ECONNREFUSED|ECONNRESET|timed out/i.test(msg)) {
      throw new HostNotRunningError(`codex-host is not running (pid ${control.pid} left a stale control file at ${file}); start it with \`codex-host serve\``);
    }
    throw new HostNotRunningError(`cannot reach the running codex-host at ${control.url}: ${msg}`);
  }
  return new RpcConnection(transport, { requestTimeoutMs: options.timeoutMs ?? 15_000 });
}

/** Connects to the running host, runs `use` with a typed client, and always closes the connection. */
export async function withHostClient<T>(dataDir: string, use: (host: HostClient) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const host = new HostClient(await connectControl(dataDir, options));
  try {
    return await use(host);
  } finally {
    host.close(1000, 'done');
  }
}
