/**
 * Minimal raw relay peers for the benchmarks (remote-protocol.md §3): a host registration and a
 * controller connect that hand back the bare `ws` socket, so the hot loops add nothing of their
 * own. (relay/testing/relayTestClient.ts queues every frame, which suits tests, not 100 MB runs.)
 */
import WebSocket from 'ws';
import { idFromPublicKey, signRegister, type Identity } from '../../shared/crypto/identity.js';
import { fromB64u, toB64u } from '../../shared/util/encoding.js';

const WAIT_MS = 30_000;

/** A Buffer's bytes as a plain Uint8Array view (Buffer#slice does not copy; Uint8Array#slice does). */
export function asU8(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A frame as received. */
export type Frame = { readonly binary: true; readonly data: Uint8Array } | { readonly binary: false; readonly text: string };

/**
 * A socket whose frames are queued from the moment it exists (a relay may send its first frame
 * in the same packet as the upgrade answer), read with `next*`, until `release()` hands the
 * socket over to a hot loop's own listener.
 */
export class QueuedSocket {
  readonly #queue: Frame[] = [];
  #wake: (() => void) | undefined;
  #closed: string | undefined;
  readonly #onMessage = (data: Buffer, isBinary: boolean) => {
    this.#queue.push(isBinary ? { binary: true, data: asU8(data) } : { binary: false, text: data.toString('utf8') });
    this.#wake?.();
  };

  constructor(readonly ws: WebSocket) {
    ws.on('message', this.#onMessage);
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      this.#closed = `closed ${code} ${reason.toString('utf8')}`;
      this.#wake?.();
    });
  }

  /** The next frame; rejects after 30 s or once closed with nothing queued. */
  async next(what: string): Promise<Frame> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const f = this.#queue.shift();
      if (f) return f;
      if (this.#closed) throw new Error(`${what}: ${this.#closed}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: timed out`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(t);
          this.#wake = undefined;
          resolve();
        };
      });
    }
  }

  async nextJson(what: string): Promise<Record<string, unknown>> {
    const f = await this.next(what);
    if (f.binary) throw new Error(`${what}: got a binary frame`);
    return JSON.parse(f.text) as Record<string, unknown>;
  }

  async nextBinary(what: string): Promise<Uint8Array> {
    const f = await this.next(what);
    if (!f.binary) throw new Error(`${what}: got text ${f.text.slice(0, 200)}`);
    return f.data;
  }

  /** Stops queueing; the caller attaches its own 'message' listener. Throws if frames are left. */
  release(): WebSocket {
    this.ws.off('message', this.#onMessage);
    if (this.#queue.length) throw new Error(`QueuedSocket.release: ${this.#queue.length} frame(s) not taken`);
    return this.ws;
  }
}

/** Opens `url` (no compression) and resolves once open, queueing frames from the start. */
export function openSocket(url: string): Promise<QueuedSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const peer = new QueuedSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(peer));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`open ${url}: HTTP ${res.statusCode ?? '?'}`)));
    ws.once('error', (err) => reject(new Error(`open ${url}: ${err.message}`)));
  });
}

/** Connects to `${relayUrl}/v1/host` and registers `identity`; resolves with the socket once `registered`. */
export async function registerRawHost(relayUrl: string, identity: Identity): Promise<QueuedSocket> {
  const peer = await openSocket(`${relayUrl}/v1/host`);
  const challenge = await peer.nextJson('register host: challenge');
  if (challenge.t !== 'challenge' || typeof challenge.nonce !== 'string') throw new Error('register host: no challenge');
  const sig = signRegister(identity, fromB64u(challenge.nonce));
  peer.ws.send(JSON.stringify({ t: 'register', key: toB64u(identity.publicKey), sig: toB64u(sig) }));
  const r = await peer.nextJson('register host: registered');
  if (r.t !== 'registered' || r.host !== idFromPublicKey(identity.publicKey)) throw new Error(`register host: got ${JSON.stringify(r)}`);
  return peer;
}

/** Connects a controller to `hostId` as `deviceId`; resolves with the socket and sid once `ready`. */
export async function connectController(relayUrl: string, hostId: string, deviceId: string): Promise<{ peer: QueuedSocket; sid: string }> {
  const peer = await openSocket(`${relayUrl}/v1/connect?host=${hostId}&device=${deviceId}`);
  const ready = await peer.nextJson('connect controller: ready');
  if (ready.t !== 'ready' || typeof ready.sid !== 'string') throw new Error(`connect controller: got ${JSON.stringify(ready)}`);
  return { peer, sid: ready.sid };
}
