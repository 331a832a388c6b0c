/**
 * Test support: the spec's vectors (a verbatim copy of remote-protocol-vectors.json, kept
 * beside the tests so they run from the repository alone) decoded to bytes, and the AEAD
 * implementations shared/ can run (noble and WebCrypto; node:crypto is tested in host/).
 */
import { fromHex } from '../util/encoding.js';
import type { AeadFactory } from '../crypto/aead.js';
import { nobleAead } from '../crypto/nobleAead.js';
import { type SubtleCryptoLike, webCryptoAead } from '../crypto/webCryptoAead.js';
import raw from './remote-protocol-vectors.json' with { type: 'json' };

export { raw as rawVectors };

/** The vectors of one handshake mode, as bytes. */
export interface ModeVectors {
  readonly clientHello: Uint8Array;
  readonly transcriptHash: Uint8Array;
  readonly serverHello: Uint8Array;
  readonly x25519Shared: Uint8Array;
  readonly keyC2h: Uint8Array;
  readonly keyH2c: Uint8Array;
  readonly clientAuthJson: string;
  readonly recordC2h0: Uint8Array;
  readonly welcomeJson: string;
  readonly recordH2c0: Uint8Array;
  readonly rpcJson: string;
  readonly recordC2h1: Uint8Array;
}

function mode(m: typeof raw.pair): ModeVectors {
  return {
    clientHello: fromHex(m.client_hello),
    transcriptHash: fromHex(m.transcript_hash),
    serverHello: fromHex(m.server_hello),
    x25519Shared: fromHex(m.x25519_shared),
    keyC2h: fromHex(m.key_c2h),
    keyH2c: fromHex(m.key_h2c),
    clientAuthJson: m.client_auth_json,
    recordC2h0: fromHex(m.record_c2h_0),
    welcomeJson: m.welcome_json,
    recordH2c0: fromHex(m.record_h2c_0),
    rpcJson: m.rpc_json,
    recordC2h1: fromHex(m.record_c2h_1),
  };
}

const i = raw.inputs;
export const V = {
  hostSeed: fromHex(i.host_ed25519_seed),
  deviceSeed: fromHex(i.device_ed25519_seed),
  clientEphPriv: fromHex(i.client_x25519_private),
  hostEphPriv: fromHex(i.host_x25519_private),
  clientNonce: fromHex(i.client_nonce),
  hostNonce: fromHex(i.host_nonce),
  secret: fromHex(i.pairing_secret),
  registerNonce: fromHex(i.register_nonce),
  sid: fromHex(i.sid),
  hostKey: fromHex(raw.identities.host_key),
  hostId: raw.identities.host_id,
  deviceKey: fromHex(raw.identities.device_key),
  deviceId: raw.identities.device_id,
  linkJson: raw.pairing_link.json,
  linkUrl: raw.pairing_link.url,
  pairId: fromHex(raw.pairing_link.pair_id),
  registerSig: fromHex(raw.register.signature),
  pair: mode(raw.pair),
  resume: mode(raw.resume),
  /** Seconds: the link's exp is 2030-01-01; tests parse it "now" = one minute earlier. */
  linkNowMs: (1893456000 - 60) * 1000,
} as const;

/** WebCrypto as every runtime shared/ targets provides it (shared/ has no DOM typings). */
export function globalSubtle(): SubtleCryptoLike {
  return (globalThis as unknown as { crypto: { subtle: SubtleCryptoLike } }).crypto.subtle;
}

/** The AEAD implementations available to shared/ tests, by name. */
export const sharedAeads: ReadonlyArray<readonly [string, AeadFactory]> = [
  ['noble', nobleAead],
  ['webcrypto', webCryptoAead(globalSubtle())],
];
