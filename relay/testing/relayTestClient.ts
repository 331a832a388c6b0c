/**
 * Test-only raw WebSocket peers for the relay (used by relay/*.test.ts, usable from e2e/):
 * a queue of received frames, the close code/reason, and helpers for the §3 host registration
 * and controller connect. Deliberately independent of any host-side relay client code.
 */
import { WebSocket } from 'ws';
import { generateIdentity, idFromPublicKey, signRegister, type Identity } from '../../shared/crypto/identity.js';
import type { CloseInfo } from '../../shared/rpc/transport.js';
import { fromB64u, toB64u, toHex } from '../../shared/util/encoding.js';

export type Received = { readonly binary: true; readonly data: Buffer } | { readonly binary: false; readonly json: Record<string, unknown> };

export type { CloseInfo };

const DEFAULT_WAIT_MS = 5_000;

/** A raw client: every frame is queued; `next()` takes them in order. */
export class TestPeer {
  readonly #queue: Received[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly closed: Promise<CloseInfo>;
  #closeInfo: CloseInfo | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.#queue.push(isBinary ? { binary: true, data } : { binary: false, json: JSON.parse(data.toString('utf8')) as Record<string, unknown> });
      this.#wake();
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.#closeInfo = { code, reason: reason.toString('utf8') };
        resolve(this.#closeInfo);
        this.#wake();
      }),
    );
  }

  /**
   * Opens `url` (with extra request `headers`, e.g. `X-Forwarded-For`); resolves once the
   * WebSocket is open (frames are queued from the start).
   */
  static async connect(url: string, headers: Record<string, string> = {}): Promise<TestPeer> {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers });
    const peer = new TestPeer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`TestPeer: HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return peer;
  }

  /** The next frame; rejects after `timeoutMs` or when the socket closed with none queued. */
  async next(timeoutMs = DEFAULT_WAIT_MS): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.#queue.shift();
      if (m) return m;
      if (this.#closeInfo) throw new Error(`TestPeer.next: closed ${this.#closeInfo.code} ${this.#closeInfo.reason}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('TestPeer.next: timed out');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async nextJson(timeoutMs?: number): Promise<Record<string, unknown>> {
    const m = await this.next(timeoutMs);
    if (m.binary) throw new Error('TestPeer.nextJson: got a binary frame');
    return m.json;
  }

  async nextBinary(timeoutMs?: number): Promise<Buffer> {
    const m = await this.next(timeoutMs);
    if (!m.binary) throw new Error(`TestPeer.nextBinary: got ${JSON.stringify(m.json)}`);
    return m.data;
  }

  /** Frames received and not yet taken. */
  get pending(): readonly Received[] {
    return this.#queue;
  }

  sendJson(value: unknown): void {
    this.ws.send(JSON.stringify(value));
  }

  /** Resolves with the close code/reason, or rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<CloseInfo> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error('TestPeer.waitClosed: timed out')), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(t);
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}

export interface TestHost {
  readonly peer: TestPeer;
  readonly identity: Identity;
  readonly hostId: string;
}

/** Connects to `${relayUrl}/v1/host` and registers `identity` (default: a fresh one). */
export async function registerTestHost(relayUrl: string, identity: Identity = generateIdentity()): Promise<TestHost> {
  const peer = await TestPeer.connect(`${relayUrl}/v1/host`);
  const challenge = await peer.nextJson();
  if (challenge.t !== 'challenge' || typeof challenge.nonce !== 'string') throw new Error('registerTestHost: no challenge');
  const sig = signRegister(identity, fromB64u(challenge.nonce));
  peer.sendJson({ t: 'register', key: toB64u(identity.publicKey), sig: toB64u(sig) });
  const registered = await peer.nextJson();
  const hostId = idFromPublicKey(identity.publicKey);
  if (registered.t !== 'registered' || registered.host !== hostId) throw new Error('registerTestHost: not registered');
  return { peer, identity, hostId };
}

/** A random 32-hex device id. */
export function randomDeviceId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

export interface TestSession {
  readonly controller: TestPeer;
  readonly sid: string;
  readonly deviceId: string;
}

/** Connects a controller to `host` and consumes the host's `open` and the controller's `ready`. */
export async function openTestSession(relayUrl: string, host: TestHost, deviceId = randomDeviceId()): Promise<TestSession> {
  const controller = await TestPeer.connect(`${relayUrl}/v1/connect?host=${host.hostId}&device=${deviceId}`);
  const ready = await controller.nextJson();
  if (ready.t !== 'ready' || typeof ready.sid !== 'string') throw new Error(`openTestSession: got ${JSON.stringify(ready)}`);
  const open = await host.peer.nextJson();
  if (open.t !== 'open' || open.sid !== ready.sid || open.device !== deviceId) throw new Error(`openTestSession: host got ${JSON.stringify(open)}`);
  return { controller, sid: ready.sid, deviceId };
}

/** `sid || payload`, as a host sends it. */
export function hostFrame(sid: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(sid, 'hex'), payload]);
}

/**
 * Plays the four handshake messages of remote-protocol.md §4 on `s` with stand-in bytes of the
 * real sizes (ClientHello 75, ServerHello 130, then one record each way), each read by the other
 * side, so the relay counts the session as established (no longer pending).
 */
export async function completeTestHandshake(host: TestHost, s: TestSession): Promise<void> {
  const steps: [from: 'controller' | 'host', bytes: number][] = [
    ['controller', 75],
    ['host', 130],
    ['controller', 120],
    ['host', 150],
  ];
  for (const [from, n] of steps) {
    const payload = Buffer.alloc(n, from === 'controller' ? 1 : 2);
    if (from === 'controller') {
      s.controller.ws.send(payload);
      const got = await host.peer.nextBinary();
      if (got.length !== 16 + n || got.toString('hex', 0, 16) !== s.sid) throw new Error('completeTestHandshake: host got another frame');
    } else {
      host.peer.ws.send(hostFrame(s.sid, payload));
      if ((await s.controller.nextBinary()).length !== n) throw new Error('completeTestHandshake: controller got another frame');
    }
  }
}
