/**
 * The handshake's key schedule (remote-protocol.md §4 steps 2-3, docs/encryption.md):
 *
 *   th    = SHA-256(L || sid || ClientHello || hostKey || hostEph || hostNonce)
 *   dh    = X25519(eph_priv, peer_eph)              all-zero / low-order → abort
 *   ikm   = dh || secret (pair)  or  dh (resume)
 *   prk   = HKDF-Extract(salt = th, ikm)            SHA-256
 *   k_c2h = HKDF-Expand(prk, L || " c2h", 32)
 *   k_h2c = HKDF-Expand(prk, L || " h2c", 32)
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../util/encoding.js';
import { LABEL_C2H, LABEL_H2C, LABEL_L } from './labels.js';
import { protocolError } from './protocolError.js';

export const X25519_KEY_BYTES = 32;
export const PAIRING_SECRET_BYTES = 32;
export const SESSION_KEY_BYTES = 32;

/** An X25519 key pair that lives for one handshake only. */
export interface EphemeralKeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Fixed randomness for reproducing the spec's test vectors. Never set it in production: a
 * reused ephemeral key or nonce destroys forward secrecy and replay protection.
 */
export interface DangerousFixedRandomness {
  readonly ephemeralPrivateKey: Uint8Array;
  readonly nonce: Uint8Array;
}

/**
 * The X25519 key pair of `privateKey` (RFC 7748 clamping applies), or a fresh random one.
 * Throws if `privateKey` is not 32 bytes.
 */
export function ephemeralKeyPair(privateKey?: Uint8Array): EphemeralKeyPair {
  const priv = privateKey ? privateKey.slice() : crypto.getRandomValues(new Uint8Array(X25519_KEY_BYTES));
  if (priv.length !== X25519_KEY_BYTES) throw new Error(`handshake: X25519 private key must be ${X25519_KEY_BYTES} bytes`);
  return { privateKey: priv, publicKey: x25519.getPublicKey(priv) };
}

/**
 * X25519(privateKey, peerPublicKey). Rejects, with a 4400 `ProtocolError` (`bad_key_share`),
 * peer keys of small order (0, 1, p-1 and the two order-8 points, in any of their encodings):
 * they force a shared secret an attacker knows (all zero). noble refuses them before running the
 * ladder; the all-zero check below is kept as the rule remote-protocol.md §4 states.
 */
export function x25519SharedSecret(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  if (peerPublicKey.length !== X25519_KEY_BYTES) throw protocolError('bad_key_share', 'handshake: X25519 public key must be 32 bytes');
  let dh: Uint8Array;
  try {
    dh = x25519.getSharedSecret(privateKey, peerPublicKey);
  } catch {
    throw protocolError('bad_key_share', 'handshake: X25519 peer key is of low order');
  }
  let acc = 0;
  for (const b of dh) acc |= b;
  if (acc === 0) throw protocolError('bad_key_share', 'handshake: X25519 shared secret is all zero');
  return dh;
}

/** The transcript hash `th` both signatures and the key derivation are bound to. */
export function transcriptHash(
  sid: Uint8Array,
  clientHello: Uint8Array,
  hostKey: Uint8Array,
  hostEph: Uint8Array,
  hostNonce: Uint8Array,
): Uint8Array {
  return sha256(concatBytes(LABEL_L, sid, clientHello, hostKey, hostEph, hostNonce));
}

/** The two direction keys of a session. */
export interface SessionKeys {
  /** controller → host */
  readonly c2h: Uint8Array;
  /** host → controller */
  readonly h2c: Uint8Array;
}

/**
 * HKDF-SHA256 over `dh` (|| `pairingSecret` in pair mode) with salt `th`. Passing the secret
 * selects pair mode; a pair-mode session cannot be read by anyone who lacks the secret.
 */
export function deriveSessionKeys(dh: Uint8Array, th: Uint8Array, pairingSecret?: Uint8Array): SessionKeys {
  if (pairingSecret && pairingSecret.length !== PAIRING_SECRET_BYTES) throw new Error(`handshake: pairing secret must be ${PAIRING_SECRET_BYTES} bytes`);
  const ikm = pairingSecret ? concatBytes(dh, pairingSecret) : dh.slice();
  const prk = extract(sha256, ikm, th);
  const keys = { c2h: expand(sha256, prk, LABEL_C2H, SESSION_KEY_BYTES), h2c: expand(sha256, prk, LABEL_H2C, SESSION_KEY_BYTES) };
  ikm.fill(0);
  prk.fill(0);
  return keys;
}
