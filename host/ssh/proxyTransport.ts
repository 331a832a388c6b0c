/**
 * One client's connection to the remote engine (docs/ssh.md): an exec channel runs
 * `codex app-server proxy --sock PATH`, which bridges its stdio to the engine's unix socket.
 * The socket speaks the app-server's WebSocket protocol (verified on 0.169.0: the upgrade, then
 * JSON text frames), so the channel carries a WebSocket; the proxy's shell prints our marker
 * first, and any rc-file noise before it is dropped.
 */
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { WsTransport } from '../transport/wsTransport.js';
import type { SshSession } from './ssh2Client.js';
import { SshError } from './sshErrors.js';

export const PROXY_LIMITS = {
  /** Engine messages can be large (full thread reads with diffs); the hub bounds clients. */
  maxPayloadBytes: 256 * 1024 * 1024,
  /** Marker + WebSocket upgrade. */
  openTimeoutMs: 20_000,
  /** Noise tolerated before the marker. */
  maxNoiseBytes: 256 * 1024,
} as const;

/** Opens one proxy channel and a WebSocket over it. Rejects with an `SshError`. */
export async function openProxyTransport(session: SshSession, command: string, marker: string, timeoutMs: number = PROXY_LIMITS.openTimeoutMs): Promise<WsTransport> {
  const ch = await session.exec(command);
  const stream = ch.duplex;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SshError('engine-start', `the remote engine did not answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  let stderr = '';
  ch.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString('utf8');
  });
  try {
    await Promise.race([skipToMarker(stream, `${marker}\n`), deadline, ch.exit.then(() => Promise.reject(new SshError('engine-start', `the remote engine proxy exited${why(stderr)}`)))]);
    const ws = new WebSocket('ws://codex-remote-engine/', {
      createConnection: () => {
        // skipToMarker paused the stream; node:http attaches its 'data' listener right after this returns.
        setImmediate(() => stream.resume());
        return asSocket(stream) as never;
      },
      maxPayload: PROXY_LIMITS.maxPayloadBytes,
      perMessageDeflate: false,
    });
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', (err) => reject(new SshError('engine-start', `the remote engine refused the connection: ${err.message}${why(stderr)}`)));
        ws.once('unexpected-response', (_req, res) => reject(new SshError('engine-start', `the remote engine answered HTTP ${res.statusCode ?? '?'}`)));
      }),
      deadline,
    ]).catch((err: unknown) => {
      ws.terminate();
      throw err;
    });
    // Either side ending ends the other: the channel when the WebSocket closes, and vice versa.
    ws.once('close', () => ch.close());
    void ch.exit.then(() => ws.terminate());
    return new WsTransport(ws);
  } catch (err) {
    ch.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Reads `stream` until `marker`, then puts back what followed it (normally nothing). */
function skipToMarker(stream: Duplex, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const at = seen.indexOf(marker);
      if (at !== -1) {
        stream.off('data', onData);
        stream.pause();
        const rest = seen.subarray(at + marker.length);
        if (rest.length) stream.unshift(rest);
        resolve();
      } else if (seen.length > PROXY_LIMITS.maxNoiseBytes) {
        stream.off('data', onData);
        reject(new SshError('engine-start', 'the login shell printed too much before the remote engine started'));
      }
    };
    stream.on('data', onData);
  });
}

/** The socket methods node:http calls on a connection; an SSH channel has no TCP options to set. */
function asSocket(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  for (const m of ['setNoDelay', 'setKeepAlive', 'setTimeout', 'ref', 'unref']) {
    if (typeof s[m] !== 'function') s[m] = () => s;
  }
  return s;
}

function why(stderr: string): string {
  const l = stderr.trim().split(/\r?\n/).filter(Boolean).slice(-2).join('; ');
  return l ? ` (${l.slice(0, 300)})` : '';
}
