/**
 * The host's (responder's) side of the session handshake (remote-protocol.md §4), as a pure
 * state machine. Trust policy stays with the caller: this class proves who the controller is,
 * the caller decides whether that device may in.
 *
 *   const hs = new HostHandshake({ sid, announcedDeviceId, host, aead, lookupPairingSecret });
 *   const hello = await hs.onClientHello(payload);
 *   if (hello.action === 'close') → relay close(hello.closeCode, hello.reason)   // 4403 expired
 *   send(hello.serverHello);
 *   const auth = await hs.onClientAuth(payload);
 *   if (!auth.verified) → send(await hs.deny('bad_signature')), close 4403
 *   pair:   consume the secret of auth.device.pairId (atomically; if already gone → deny('used'))
 *   resume: the device must be trusted and not revoked (else deny('unknown_device' | 'revoked'))
 *   const { record, channel } = await hs.welcome({ name, platform, version }); send(record);
 *
 * Failures caused by received bytes reject with a `ProtocolError` (4400): the caller closes the
 * session with its `closeCode`. This includes a ClientAuth that does not decrypt, which is what a
 * wrong pairing secret produces (no `denied` is possible: the controller could not read it).
 */
import { concatBytes } from '../util/encoding.js';
import type { AeadFactory } from './aead.js';
import {
  checkWelcome,
  type DeniedReason,
  type DeviceKind,
  type DevicePlatform,
  encodeHostFirst,
  parseClientAuth,
} from './handshakeRecords.js';
import { encodeServerHello, HANDSHAKE_NONCE_BYTES, type HandshakeMode, parseClientHello } from './handshakeMessages.js';
import { idFromPublicKey, type Signer, verify } from './identity.js';
import { type DangerousFixedRandomness, deriveSessionKeys, ephemeralKeyPair, transcriptHash, x25519SharedSecret } from './keySchedule.js';
import { LABEL_DEVICE, LABEL_HOST } from './labels.js';
import { CLOSE } from '../protocol/closeCodes.js';
import { HEX_ID_RE } from '../protocol/ids.js';
import { protocolError } from './protocolError.js';
import { type RecordChannel, RecordOpener, RecordSealer, SID_BYTES } from './record.js';

/** Finds the unexpired, unused pairing secret an 8-byte pairId names, or undefined. */
export type PairingSecretLookup = (pairId: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

export interface HostHandshakeOptions {
  /** The 16-byte session id from the relay's `open`. */
  readonly sid: Uint8Array;
  /** The `device` the relay's `open` announced (32 lowercase hex). */
  readonly announcedDeviceId: string;
  /** The host identity key. */
  readonly host: Signer;
  readonly aead: AeadFactory;
  /** Asked in pair mode only. It must not consume the secret: that happens after ClientAuth. */
  readonly lookupPairingSecret: PairingSecretLookup;
  /** Test-only: see `DangerousFixedRandomness`. */
  readonly dangerousFixedRandomness?: DangerousFixedRandomness;
}

/** What to do after a ClientHello: send `serverHello`, or have the relay close the session. */
export type ClientHelloOutcome =
  | { readonly action: 'reply'; readonly serverHello: Uint8Array; readonly mode: HandshakeMode }
  | { readonly action: 'close'; readonly closeCode: typeof CLOSE.FORBIDDEN; readonly reason: 'expired' };

/** A controller that proved possession of `deviceKey` for this session's transcript. */
export interface VerifiedDevice {
  readonly mode: HandshakeMode;
  /** idFromPublicKey(deviceKey), equal to the relay-announced device id. */
  readonly deviceId: string;
  readonly deviceKey: Uint8Array;
  readonly name: string;
  readonly platform: DevicePlatform;
  readonly kind: DeviceKind;
  /** Pair mode: the pairId whose secret keyed this session (the caller consumes it); resume: undefined. */
  readonly pairId: Uint8Array | undefined;
}

/**
 * The result of checking ClientAuth. Not verified: the announced device id does not match the
 * key (`device_id_mismatch`) or the signature is wrong (`signature`); answer `deny('bad_signature')`.
 */
export type ClientAuthOutcome =
  | { readonly verified: true; readonly device: VerifiedDevice }
  | { readonly verified: false; readonly detail: 'device_id_mismatch' | 'signature' };

/** The host fields of `welcome` besides its id. */
export interface HostDescription {
  readonly name: string;
  /** e.g. Node's `process.platform` (`darwin`, `linux`, `win32`). */
  readonly platform: string;
  readonly version: string;
}

type State = 'awaitClientHello' | 'busy' | 'awaitClientAuth' | 'awaitDecision' | 'done';

export class HostHandshake {
  readonly #options: HostHandshakeOptions;
  readonly #sid: Uint8Array;
  #state: State = 'awaitClientHello';
  #mode: HandshakeMode = 'resume';
  #pairId: Uint8Array | undefined;
  #th: Uint8Array | undefined;
  #channel: RecordChannel | undefined;
  #device: VerifiedDevice | undefined;

  /** Throws a plain `Error` on bad options. */
  constructor(options: HostHandshakeOptions) {
    if (options.sid.length !== SID_BYTES) throw new Error('HostHandshake: sid must be 16 bytes');
    if (!HEX_ID_RE.test(options.announcedDeviceId)) throw new Error('HostHandshake: announcedDeviceId must be 32 lowercase hex characters');
    if (options.host.publicKey.length !== 32) throw new Error('HostHandshake: host key must be 32 bytes');
    const fixed = options.dangerousFixedRandomness;
    if (fixed && fixed.nonce.length !== HANDSHAKE_NONCE_BYTES) throw new Error('HostHandshake: nonce must be 32 bytes');
    this.#options = options;
    this.#sid = options.sid.slice();
  }

  /**
   * Parses the ClientHello; in pair mode asks `lookupPairingSecret` and answers `close` 4403
   * `expired` if it finds none. Otherwise derives the session keys and returns the ServerHello.
   * Rejects with a 4400 `ProtocolError` on a malformed hello or a low-order key share.
   */
  async onClientHello(payload: Uint8Array): Promise<ClientHelloOutcome> {
    this.#enter('awaitClientHello', 'onClientHello');
    try {
      const hello = parseClientHello(payload);
      let secret: Uint8Array | undefined;
      if (hello.mode === 'pair') {
        const found = await this.#options.lookupPairingSecret(hello.pairId.slice());
        if (!found) {
          this.#state = 'done';
          return { action: 'close', closeCode: CLOSE.FORBIDDEN, reason: 'expired' };
        }
        if (found.length !== 32) throw new Error('HostHandshake: the pairing secret must be 32 bytes');
        secret = found;
      }
      const fixed = this.#options.dangerousFixedRandomness;
      const ephemeral = ephemeralKeyPair(fixed?.ephemeralPrivateKey);
      // Reject a low-order client share before signing anything with the host key.
      const dh = x25519SharedSecret(ephemeral.privateKey, hello.clientEph);
      ephemeral.privateKey.fill(0);
      const hostNonce = fixed ? fixed.nonce.slice() : crypto.getRandomValues(new Uint8Array(HANDSHAKE_NONCE_BYTES));
      const { host } = this.#options;
      const th = transcriptHash(this.#sid, payload, host.publicKey, ephemeral.publicKey, hostNonce);
      const keys = deriveSessionKeys(dh, th, secret);
      dh.fill(0);
      const [c2h, h2c] = await Promise.all([this.#options.aead(keys.c2h), this.#options.aead(keys.h2c)]);
      keys.c2h.fill(0);
      keys.h2c.fill(0);
      this.#channel = {
        sealer: new RecordSealer({ key: h2c, sid: this.#sid, direction: 'h2c' }),
        opener: new RecordOpener({ key: c2h, sid: this.#sid, direction: 'c2h' }),
      };
      const sig = await host.sign(concatBytes(LABEL_HOST, th));
      this.#th = th;
      this.#mode = hello.mode;
      this.#pairId = hello.mode === 'pair' ? hello.pairId : undefined;
      this.#state = 'awaitClientAuth';
      return { action: 'reply', serverHello: encodeServerHello({ hostEph: ephemeral.publicKey, hostNonce, sig }), mode: hello.mode };
    } catch (e) {
      this.#state = 'done';
      throw e;
    }
  }

  /**
   * Opens and checks ClientAuth (c2h record 0): the key's id must be the relay-announced device
   * id and the signature must cover this transcript. Rejects with a 4400 `ProtocolError` if the
   * record does not decrypt (e.g. a wrong pairing secret) or is not a valid single-record ClientAuth.
   */
  async onClientAuth(payload: Uint8Array): Promise<ClientAuthOutcome> {
    this.#enter('awaitClientAuth', 'onClientAuth');
    try {
      const { opener } = this.#requireChannel();
      const message = await opener.open(payload);
      if (!message) throw protocolError('bad_auth', 'HostHandshake: ClientAuth must fit in one record');
      const auth = parseClientAuth(message);
      this.#state = 'awaitDecision';
      const deviceId = idFromPublicKey(auth.deviceKey);
      if (deviceId !== this.#options.announcedDeviceId) return { verified: false, detail: 'device_id_mismatch' };
      if (!verify(auth.deviceKey, concatBytes(LABEL_DEVICE, this.#requireTh()), auth.sig)) return { verified: false, detail: 'signature' };
      const { name, platform, kind, deviceKey } = auth;
      this.#device = { mode: this.#mode, deviceId, deviceKey, name, platform, kind, pairId: this.#pairId };
      return { verified: true, device: this.#device };
    } catch (e) {
      this.#state = 'done';
      throw e;
    }
  }

  /**
   * Seals `welcome` (h2c record 0) for a verified device and hands over the record channel for
   * the rest of the session. `deviceName` defaults to the name ClientAuth announced. Throws a
   * plain `Error` if called before a verified ClientAuth or with an invalid description.
   */
  async welcome(host: HostDescription, deviceName?: string): Promise<{ readonly record: Uint8Array; readonly channel: RecordChannel }> {
    const device = this.#device;
    if (this.#state !== 'awaitDecision' || !device) throw new Error('HostHandshake.welcome: no verified ClientAuth');
    const channel = this.#requireChannel();
    const welcome = checkWelcome({
      t: 'welcome',
      host: { id: idFromPublicKey(this.#options.host.publicKey), name: host.name, platform: host.platform, version: host.version },
      device: { id: device.deviceId, name: deviceName ?? device.name },
    });
    this.#state = 'done';
    const [record] = await channel.sealer.seal(encodeHostFirst(welcome));
    if (!record) throw new Error('HostHandshake.welcome: no record');
    return { record, channel };
  }

  /**
   * Seals `denied` (h2c record 0); afterwards the caller has the relay close the session with
   * 4403. Allowed once ClientAuth has been opened, verified or not.
   */
  async deny(reason: DeniedReason): Promise<Uint8Array> {
    if (this.#state !== 'awaitDecision') throw new Error('HostHandshake.deny: no ClientAuth to answer');
    this.#state = 'done';
    const [record] = await this.#requireChannel().sealer.seal(encodeHostFirst({ t: 'denied', reason }));
    if (!record) throw new Error('HostHandshake.deny: no record');
    return record;
  }

  #requireChannel(): RecordChannel {
    if (!this.#channel) throw new Error('HostHandshake: no session keys yet');
    return this.#channel;
  }

  #requireTh(): Uint8Array {
    if (!this.#th) throw new Error('HostHandshake: no transcript yet');
    return this.#th;
  }

  #enter(expected: State, op: string): void {
    if (this.#state !== expected) throw protocolError('unexpected_message', `HostHandshake.${op}: unexpected in state ${this.#state}`);
    this.#state = 'busy';
  }
}
