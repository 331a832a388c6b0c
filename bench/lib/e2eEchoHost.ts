/**
 * A host that answers end-to-end sessions (remote-protocol.md §4) over a relay registration and
 * echoes every session message back, sealed again. Built directly on the shared crypto state
 * machines (`HostHandshake`, `RecordSealer`/`RecordOpener`) with the host's Node AEAD, for the
 * benchmark only: it trusts every device that proves its key in resume mode (there is no trust
 * store here), and pairs any device that holds a secret from `createPairingLink`.
 */
import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { nodeAead } from '../../host/remote-access/nodeAead.js';
import { HostHandshake } from '../../shared/crypto/hostHandshake.js';
import { generateIdentity, idFromPublicKey, signerFromIdentity, type Identity } from '../../shared/crypto/identity.js';
import { encodePairingLink, pairIdFromSecret, PAIRING_LINK_TTL_SECONDS } from '../../shared/pairing/pairingLink.js';
import { ProtocolError } from '../../shared/crypto/protocolError.js';
import type { RecordChannel } from '../../shared/crypto/record.js';
import { fromHex, toHex } from '../../shared/util/encoding.js';
import { asU8, registerRawHost } from './relayPeers.js';

type SessionState =
  | { readonly phase: 'hello'; readonly hs: HostHandshake }
  | { readonly phase: 'auth'; readonly hs: HostHandshake }
  | { readonly phase: 'open'; readonly channel: RecordChannel }
  | { readonly phase: 'closed' };

interface Session {
  readonly sid: Uint8Array;
  state: SessionState;
  /** Frames are handled strictly one after another (the handshake steps are async). */
  tail: Promise<void>;
}

export class E2eEchoHost {
  readonly identity: Identity;
  readonly #ws: WebSocket;
  readonly #relayUrl: string;
  readonly #sessions = new Map<string, Session>();
  /** hex(pairId) → secret, removed when used (one-time). */
  readonly #secrets = new Map<string, Uint8Array>();
  /** Protocol failures seen (should stay 0). */
  failures = 0;

  private constructor(ws: WebSocket, identity: Identity, relayUrl: string) {
    this.#ws = ws;
    this.identity = identity;
    this.#relayUrl = relayUrl;
    ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? this.#onBinary(asU8(data)) : this.#onControl(data.toString('utf8'))));
  }

  /** Registers a fresh host identity on the relay. */
  static async start(relayUrl: string): Promise<E2eEchoHost> {
    const identity = generateIdentity();
    const peer = await registerRawHost(relayUrl, identity);
    return new E2eEchoHost(peer.release(), identity, relayUrl);
  }

  get hostId(): string {
    return idFromPublicKey(this.identity.publicKey);
  }

  /** A fresh one-time pairing link for this host (`relayHttpOrigin` is the relay's http:// origin). */
  createPairingLink(relayHttpOrigin: string): string {
    const secret = new Uint8Array(randomBytes(32));
    this.#secrets.set(toHex(pairIdFromSecret(secret)), secret);
    const exp = Math.floor(Date.now() / 1000) + PAIRING_LINK_TTL_SECONDS;
    return encodePairingLink({ relay: this.#relayUrl, hostKey: this.identity.publicKey, secret, exp, name: 'bench host' }, relayHttpOrigin);
  }

  close(): void {
    this.#ws.close(1000, 'bench done');
  }

  #onControl(text: string): void {
    const m = JSON.parse(text) as { t?: string; sid?: string; device?: string };
    if (m.t === 'open' && m.sid && m.device) {
      const sid = fromHex(m.sid);
      const hs = new HostHandshake({
        sid,
        announcedDeviceId: m.device,
        host: signerFromIdentity(this.identity),
        aead: nodeAead,
        lookupPairingSecret: (pairId) => this.#secrets.get(toHex(pairId)),
      });
      this.#sessions.set(m.sid, { sid, state: { phase: 'hello', hs }, tail: Promise.resolve() });
    } else if (m.t === 'closed' && m.sid) {
      this.#sessions.delete(m.sid);
    }
  }

  #onBinary(frame: Uint8Array): void {
    const sidHex = toHex(frame.subarray(0, 16));
    const s = this.#sessions.get(sidHex);
    if (!s) return;
    const payload = frame.slice(16);
    s.tail = s.tail.then(() => this.#handle(s, sidHex, payload)).catch((err: unknown) => this.#fail(s, sidHex, err));
  }

  async #handle(s: Session, sidHex: string, payload: Uint8Array): Promise<void> {
    const st = s.state;
    switch (st.phase) {
      case 'hello': {
        const out = await st.hs.onClientHello(payload);
        if (out.action === 'close') return this.#close(s, sidHex, out.closeCode, out.reason);
        s.state = { phase: 'auth', hs: st.hs };
        return this.#send(s, out.serverHello);
      }
      case 'auth': {
        const auth = await st.hs.onClientAuth(payload);
        if (!auth.verified) {
          this.#send(s, await st.hs.deny('bad_signature'));
          return this.#close(s, sidHex, 4403, 'bad_signature');
        }
        const pairId = auth.device.pairId;
        if (pairId && !this.#secrets.delete(toHex(pairId))) {
          this.#send(s, await st.hs.deny('used'));
          return this.#close(s, sidHex, 4403, 'used');
        }
        const { record, channel } = await st.hs.welcome({ name: 'bench host', platform: process.platform, version: '0.1.0' });
        s.state = { phase: 'open', channel };
        return this.#send(s, record);
      }
      case 'open': {
        const message = await st.channel.opener.open(payload);
        if (!message) return;
        for (const record of await st.channel.sealer.seal(message)) this.#send(s, record);
        return;
      }
      case 'closed':
        return;
    }
  }

  #send(s: Session, payload: Uint8Array): void {
    const frame = new Uint8Array(16 + payload.length);
    frame.set(s.sid, 0);
    frame.set(payload, 16);
    this.#ws.send(frame);
  }

  #close(s: Session, sidHex: string, code: number, reason: string): void {
    s.state = { phase: 'closed' };
    this.#sessions.delete(sidHex);
    this.#ws.send(JSON.stringify({ t: 'close', sid: sidHex, code, reason }));
  }

  #fail(s: Session, sidHex: string, err: unknown): void {
    this.failures++;
    process.stderr.write(`e2e echo host: session failed: ${err instanceof Error ? err.message : String(err)}\n`);
    // The relay accepts only 4000-4999 from a host; 1009/1000 record errors become 4400.
    const code = err instanceof ProtocolError && err.closeCode >= 4000 && err.closeCode <= 4999 ? err.closeCode : 4400;
    this.#close(s, sidHex, code, 'bench host error');
  }
}
