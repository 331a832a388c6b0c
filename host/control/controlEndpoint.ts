/**
 * The local control endpoint: a loopback WebSocket that `codex-host status|pair|devices`
 * reach as `cli` clients of the hub. Protected by a capability token regenerated every start
 * and written, with the URL, to the 0600 control file in the data dir. Its port is visible to
 * every local user (`ss -ltn`), so it runs on the listener's socket guard: a socket that has not
 * authenticated within 10 s is cut, and idle sockets make room for the CLI instead of keeping it
 * out (docs/security.md; e2e/preAuthLockout.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Logger } from '../../shared/util/logger.js';
import type { Hub } from '../hub/hub.js';
import { parseListenerOptions } from '../listener/listenerOptions.js';
import { startWsListener, type WsListener } from '../listener/wsListener.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { WsTransport } from '../transport/wsTransport.js';
import { ControlFileSchema, controlFilePath, type ControlFile } from './controlFile.js';

export interface ControlEndpoint {
  readonly url: string;
  dispose(): Promise<void>;
}

export async function startControlEndpoint(o: { dataDir: string; hub: Hub; logger: Logger; version: string }): Promise<ControlEndpoint> {
  const token = randomBytes(32).toString('base64url');
  const config = {
    ...parseListenerOptions({ listen: 'ws://127.0.0.1:0' }),
    auth: { mode: 'capability-token' as const, tokenSha256: new Uint8Array(createHash('sha256').update(token).digest()) },
  };
  const listener: WsListener = await startWsListener({
    config,
    maxPayloadBytes: o.hub.limits.maxMessageBytes,
    logger: o.logger.child('control'),
    heartbeatIntervalMs: 0,
    onConnection: (socket) => {
      o.hub.attach(new WsTransport(socket), { kind: 'cli', name: 'codex-host cli' });
    },
  });
  const file = controlFilePath(o.dataDir);
  const content: ControlFile = { url: listener.url, token, pid: process.pid, version: o.version, startedAt: new Date().toISOString() };
  await writeJsonAtomic(file, content, 0o600);
  return {
    url: listener.url,
    async dispose() {
      await listener.dispose();
      // Remove the file only if it is still ours (a second host may have replaced it).
      const current = await readJsonFile(file, ControlFileSchema).catch(() => undefined);
      if (current?.pid === process.pid && current.token === token) await rm(file, { force: true });
    },
  };
}
