/**
 * The controller's (initiator's) side of the session handshake (remote-protocol.md §4), as a pure
 * state machine: it produces and consumes payloads, the caller moves them over the relay.
 *
 *   const hs = new ControllerHandshake({ mode, sid, hostKey, device, description, aead, pairingSecret });
 *   send(hs.clientHello);
 *   send(await hs.onServerHello(payload));        // verifies the host → sends ClientAuth (record c2h 0)
 *   const result = await hs.onHostRecord(payload); // welcome (with the record channel) or denied
 *
 * Every failure caused by received bytes is a `ProtocolError` (4400): the caller closes the
 * session with its `closeCode`. The ephemeral private key is wiped once the keys exist.
 */
import { concatBytes } from '../util/encoding.js';
import type { AeadFactory } from './aead.js';
import { checkDeviceDescription, type DeniedReason, type DeviceDescription, encodeClientAuth, parseHostFirst, type Welcome } from './handshakeRecords.js';
import { encodeClientHello, HANDSHAKE_NONCE_BYTES, type HandshakeMode, PAIR_ID_BYTES, parseServerHello } from './handshakeMessages.js';
import { idFromPublicKey, type Signer, verify } from './identity.js';
import { type DangerousFixedRandomness, deriveSessionKeys, type EphemeralKeyPair, ephemeralKeyPair, transcriptHash, x25519SharedSecret } from './keySchedule.js';
import { LABEL_DEVICE, LABEL_HOST } from './labels.js';
import { pairIdFromSecret } from '../pairing/pairingLink.js';
import { protocolError } from './protocolError.js';
import { type RecordChannel, RecordOpener, RecordSealer, SID_BYTES } from './record.js';

export interface ControllerHandshakeOptions {
  readonly mode: HandshakeMode;
  /** The 16-byte session id from the relay's `ready`. */
  readonly sid: Uint8Array;
  /** The pinned host key: from the pairing link (pair) or the trust store (resume). */
  readonly hostKey: Uint8Array;
  /** The pairing link's secret; required in pair mode, refused in resume mode. */
  readonly pairingSecret?: Uint8Array;
  /** This device's identity key. */
  readonly device: Signer;
  /** What ClientAuth announces about this device. */
  readonly description: DeviceDescription;
  readonly aead: AeadFactory;
  /** Test-only: see `DangerousFixedRandomness`. */
  readonly dangerousFixedRandomness?: DangerousFixedRandomness;
}

/** How the host answered ClientAuth. */
export type ControllerHandshakeResult =
  | { readonly outcome: 'welcome'; readonly welcome: Welcome; readonly channel: RecordChannel }
  | { readonly outcome: 'denied'; readonly reason: DeniedReason };

type State = 'awaitServerHello' | 'busy' | 'awaitHostRecord' | 'done';

export class ControllerHandshake {
  /** The ClientHello payload to send first (75 bytes). */
  readonly clientHello: Uint8Array;
  readonly #options: ControllerHandshakeOptions;
  readonly #sid: Uint8Array;
  readonly #hostKey: Uint8Array;
  readonly #description: DeviceDescription;
  #ephemeral: EphemeralKeyPair | undefined;
  #state: State = 'awaitServerHello';
  #channel: RecordChannel | undefined;

  /** Throws a plain `Error` on bad options (lengths, mode/secret mismatch, invalid description). */
  constructor(options: ControllerHandshakeOptions) {
    const { mode, sid, hostKey, pairingSecret, dangerousFixedRandomness: fixed } = options;
    if (sid.length !== SID_BYTES) throw new Error('ControllerHandshake: sid must be 16 bytes');
    if (hostKey.length !== 32) throw new Error('ControllerHandshake: hostKey must be 32 bytes');
    if (mode === 'pair' && pairingSecret?.length !== 32) throw new Error('ControllerHandshake: pair mode needs the 32-byte pairing secret');
    if (mode === 'resume' && pairingSecret) throw new Error('ControllerHandshake: resume mode takes no pairing secret');
    if (fixed && fixed.nonce.length !== HANDSHAKE_NONCE_BYTES) throw new Error('ControllerHandshake: nonce must be 32 bytes');
    this.#options = options;
    this.#sid = sid.slice();
    this.#hostKey = hostKey.slice();
    this.#description = checkDeviceDescription(options.description);
    this.#ephemeral = ephemeralKeyPair(fixed?.ephemeralPrivateKey);
    this.clientHello = encodeClientHello({
      mode,
      clientEph: this.#ephemeral.publicKey,
      clientNonce: fixed ? fixed.nonce.slice() : crypto.getRandomValues(new Uint8Array(HANDSHAKE_NONCE_BYTES)),
      pairId: mode === 'pair' && pairingSecret ? pairIdFromSecret(pairingSecret) : new Uint8Array(PAIR_ID_BYTES),
    });
  }

  /**
   * Verifies the ServerHello against the pinned host key, derives the session keys and returns
   * the ClientAuth record (c2h counter 0) to send. Rejects with a 4400 `ProtocolError` on a
   * malformed hello (`bad_hello`), a bad host signature (`bad_host_signature`) or a low-order
   * key share (`bad_key_share`).
   */
  async onServerHello(payload: Uint8Array): Promise<Uint8Array> {
    this.#enter('awaitServerHello', 'onServerHello');
    try {
      const hello = parseServerHello(payload);
      const th = transcriptHash(this.#sid, this.clientHello, this.#hostKey, hello.hostEph, hello.hostNonce);
      if (!verify(this.#hostKey, concatBytes(LABEL_HOST, th), hello.sig)) {
        throw protocolError('bad_host_signature', 'ControllerHandshake: ServerHello is not signed by the pinned host key');
      }
      const ephemeral = this.#ephemeral;
      if (!ephemeral) throw new Error('ControllerHandshake: ephemeral key already used');
      this.#ephemeral = undefined;
      const dh = x25519SharedSecret(ephemeral.privateKey, hello.hostEph);
      ephemeral.privateKey.fill(0);
      const keys = deriveSessionKeys(dh, th, this.#options.mode === 'pair' ? this.#options.pairingSecret : undefined);
      dh.fill(0);
      const [c2h, h2c] = await Promise.all([this.#options.aead(keys.c2h), this.#options.aead(keys.h2c)]);
      keys.c2h.fill(0);
      keys.h2c.fill(0);
      this.#channel = {
        sealer: new RecordSealer({ key: c2h, sid: this.#sid, direction: 'c2h' }),
        opener: new RecordOpener({ key: h2c, sid: this.#sid, direction: 'h2c' }),
      };
      const { device } = this.#options;
      const sig = await device.sign(concatBytes(LABEL_DEVICE, th));
      const auth = encodeClientAuth({ deviceKey: device.publicKey, sig, ...this.#description });
      const [record] = await this.#channel.sealer.seal(auth);
      if (!record) throw new Error('ControllerHandshake: ClientAuth produced no record');
      this.#state = 'awaitHostRecord';
      return record;
    } catch (e) {
      this.#state = 'done';
      throw e;
    }
  }

  /**
   * Opens the host's first record (h2c counter 0). Resolves to `welcome` with the record
   * channel for the rest of the session, or `denied` with the host's reason (the host then has
   * the relay close with 4403). Rejects with a 4400 `ProtocolError` if the record does not
   * decrypt or is not a single-record welcome/denied for this host and device.
   */
  async onHostRecord(payload: Uint8Array): Promise<ControllerHandshakeResult> {
    this.#enter('awaitHostRecord', 'onHostRecord');
    try {
      const channel = this.#channel;
      if (!channel) throw new Error('ControllerHandshake: no channel');
      const message = await channel.opener.open(payload);
      if (!message) throw protocolError('bad_welcome', 'ControllerHandshake: the host\'s first message must fit in one record');
      const first = parseHostFirst(message);
      if (first.t === 'denied') return { outcome: 'denied', reason: first.reason };
      if (first.host.id !== idFromPublicKey(this.#hostKey) || first.device.id !== idFromPublicKey(this.#options.device.publicKey)) {
        throw protocolError('bad_welcome', 'ControllerHandshake: welcome names another host or device');
      }
      return { outcome: 'welcome', welcome: first, channel };
    } finally {
      this.#state = 'done';
    }
  }

  #enter(expected: State, op: string): void {
    if (this.#state !== expected) {
      throw protocolError('unexpected_message', `ControllerHandshake.${op}: unexpected in state ${this.#state}`);
    }
    this.#state = 'busy';
  }
}
