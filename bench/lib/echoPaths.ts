/**
 * The three ways the relay benchmark sends a message and gets it back, behind one interface so
 * the measuring loops are the same code for each: a raw loopback WebSocket to an echo server,
 * a plaintext session through the relay to an echoing raw host, and an end-to-end encrypted
 * session through the relay to an echoing host (on the real session `Transport`, or on the bare
 * crypto primitives). Payloads are ASCII so the text-based session carries the same bytes.
 */
import type WebSocket from 'ws';
import type { Transport } from '../../shared/rpc/transport.js';
import { toHex } from '../../shared/util/encoding.js';
import type { E2eSession } from './e2eController.js';
import { asU8, connectController, openSocket } from './relayPeers.js';

/** A connected echo path. */
export interface EchoPath {
  readonly name: string;
  /** Sends one message; its echo is reported through `onEcho` (in order). */
  send(payload: Uint8Array): void;
  /** Called with the byte length of each echoed message. */
  onEcho: ((bytes: number) => void) | undefined;
  /** Set when the path broke (a socket closed or a record failed). */
  readonly error: Error | undefined;
  close(): void;
}

class SocketPath implements EchoPath {
  onEcho: ((bytes: number) => void) | undefined;
  error: Error | undefined;

  constructor(
    readonly name: string,
    protected readonly ws: WebSocket,
  ) {
    ws.on('close', (code, reason) => this.fail(new Error(`${name}: socket closed ${code} ${reason.toString('utf8')}`)));
  }

  send(payload: Uint8Array): void {
    this.ws.send(payload);
  }

  fail(err: Error): void {
    this.error ??= err;
  }

  close(): void {
    this.ws.removeAllListeners('close');
    this.ws.terminate();
  }
}

/** (a) A raw WebSocket to `echoUrl` (a `ws` server that sends every message back). */
export async function rawEchoPath(echoUrl: string): Promise<EchoPath> {
  const ws = (await openSocket(echoUrl)).release();
  const path = new SocketPath('raw WebSocket', ws);
  ws.on('message', (data: Buffer) => path.onEcho?.(data.length));
  return path;
}

/** (b) A plaintext relay session to a raw host that echoes every payload by sid. */
export async function plainRelayPath(relayUrl: string, hostId: string): Promise<EchoPath> {
  const device = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const { peer } = await connectController(relayUrl, hostId, device);
  // The first payload also ends the relay's per-session handshake deadline.
  peer.ws.send(Uint8Array.of(0));
  await peer.nextBinary('plaintext relay session: first echo');
  const ws = peer.release();
  const path = new SocketPath('relay, plaintext', ws);
  ws.on('message', (data: Buffer) => path.onEcho?.(data.length));
  return path;
}

/** Random printable ASCII (one byte per character in UTF-8). */
export function asciiPayload(bytes: number): Uint8Array {
  const out = crypto.getRandomValues(new Uint8Array(bytes));
  for (let i = 0; i < out.length; i++) out[i] = 0x21 + (out[i]! % 94);
  return out;
}

/** (c) An end-to-end session's `Transport` (text messages) to a host whose `attach` echoes each message. */
export function transportEchoPath(transport: Transport, name: string): EchoPath {
  let lastBytes: Uint8Array | undefined;
  let lastText = '';
  const decoder = new TextDecoder();
  const path: EchoPath = {
    name,
    onEcho: undefined,
    error: undefined,
    send(payload) {
      // Decode once per distinct payload: the loops resend the same one.
      if (payload !== lastBytes) {
        lastBytes = payload;
        lastText = decoder.decode(payload);
      }
      transport.send(lastText);
    },
    close: () => transport.close(1000, 'bench done'),
  };
  transport.onMessage((text) => path.onEcho?.(text.length));
  transport.onClose((info) => {
    (path as { error: Error | undefined }).error ??= new Error(`${name}: session closed ${info.code} ${info.reason}`);
  });
  return path;
}

/** (c') An established session on the bare crypto primitives; the host opens each record and seals it back. */
export function e2eRelayPath(session: E2eSession, name = 'relay, E2E (bare primitives)'): EchoPath {
  const { ws, channel } = session;
  const path = new SocketPath(name, ws);
  const onError = (err: unknown) => path.fail(err instanceof Error ? err : new Error(String(err)));
  ws.on('message', (data: Buffer) => {
    channel.opener.open(asU8(data)).then((m) => {
      if (m) path.onEcho?.(m.length);
    }, onError);
  });
  path.send = (payload) => {
    channel.sealer.seal(payload).then((records) => {
      for (const r of records) ws.send(r);
    }, onError);
  };
  return path;
}

/** One round trip of `payload`, in ms. */
export function roundTrip(path: EchoPath, payload: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    if (path.error) return reject(path.error);
    const t0 = performance.now();
    const timer = setTimeout(() => reject(new Error(`${path.name}: no echo within 10 s${path.error ? ` (${path.error.message})` : ''}`)), 10_000);
    path.onEcho = () => {
      clearTimeout(timer);
      path.onEcho = undefined;
      resolve(performance.now() - t0);
    };
    path.send(payload);
  });
}

/** Echoed payload bytes and the time they took. */
export interface ThroughputSample {
  readonly bytes: number;
  readonly ms: number;
  readonly messages: number;
}

/**
 * Streams `payload` `count` times with up to `window` messages in flight (or until `budgetMs`
 * passed, then drains) and reports the echoed bytes per elapsed time.
 */
export function throughput(path: EchoPath, payload: Uint8Array, count: number, window: number, budgetMs: number): Promise<ThroughputSample> {
  return new Promise((resolve, reject) => {
    if (path.error) return reject(path.error);
    const t0 = performance.now();
    let sent = 0;
    let received = 0;
    let bytes = 0;
    let stopSending = false;
    const watchdog = setInterval(() => {
      if (path.error) finish(path.error);
      else if (performance.now() - t0 > budgetMs * 3 + 10_000) finish(new Error(`${path.name}: throughput run stalled at ${received}/${sent}`));
    }, 250);
    const finish = (err?: Error) => {
      clearInterval(watchdog);
      path.onEcho = undefined;
      if (err) reject(err);
      else resolve({ bytes, ms: performance.now() - t0, messages: received });
    };
    path.onEcho = (n) => {
      received++;
      bytes += n;
      if (!stopSending && performance.now() - t0 > budgetMs) stopSending = true;
      if (!stopSending && sent < count) {
        sent++;
        path.send(payload);
      } else if (received === sent) finish();
    };
    for (; sent < Math.min(window, count); sent++) path.send(payload);
  });
}
