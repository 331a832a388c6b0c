/**
 * Ed25519 identities (remote-protocol.md §1) and the relay registration signature (§3).
 * hostId / deviceId = hex(SHA-256(publicKey)[0..16]).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex } from '../util/encoding.js';
import { LABEL_REGISTER } from './labels.js';

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIG_BYTES = 64;

/** An Ed25519 identity: the 32-byte RFC 8032 seed and its public key. */
export interface Identity {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Something that signs with an Ed25519 key it may not reveal: an `Identity` in memory
 * (`signerFromIdentity`) or a non-extractable WebCrypto key on a phone (remote-protocol.md §6).
 * `sign` must return the RFC 8032 signature (64 bytes) of exactly `message`.
 */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** Wraps an in-memory identity as a `Signer`. */
export function signerFromIdentity(identity: Identity): Signer {
  return { publicKey: identity.publicKey, sign: (message) => sign(identity, message) };
}

/** Derives the public key from a 32-byte seed; throws if the seed has another length. */
export function identityFromSeed(seed: Uint8Array): Identity {
  if (seed.length !== ED25519_KEY_BYTES) throw new Error('identity: seed must be 32 bytes');
  return { seed, publicKey: ed25519.getPublicKey(seed) };
}

/** A fresh identity from the platform CSPRNG. */
export function generateIdentity(): Identity {
  return identityFromSeed(crypto.getRandomValues(new Uint8Array(ED25519_KEY_BYTES)));
}

/** hex(SHA-256(key)[0..16]): the id of a host or device key. */
export function idFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== ED25519_KEY_BYTES) throw new Error('identity: public key must be 32 bytes');
  return toHex(sha256(publicKey).subarray(0, 16));
}

/** Ed25519 signature (RFC 8032, deterministic) of `message`. */
export function sign(identity: Identity, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, identity.seed);
}

/**
 * Verifies an Ed25519 signature; false (never throws) on any malformed input.
 * Strict RFC 8032 decoding (noble's default for ed25519 is the permissive ZIP-215 rule, which
 * accepts non-canonical point encodings; an independent client following RFC 8032 would not), and
 * small-order public keys are refused: a signature under such a key proves nothing.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_BYTES || signature.length !== ED25519_SIG_BYTES) return false;
  try {
    if (ed25519.Point.fromBytes(publicKey).isSmallOrder()) return false;
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Ed25519(hostPriv, L || " register" || nonce) — the answer to the relay's challenge. */
export function signRegister(host: Identity, nonce: Uint8Array): Uint8Array {
  return sign(host, concatBytes(LABEL_REGISTER, nonce));
}

/** Checks a `register` signature (the relay's side of §3); false on any malformed input. */
export function verifyRegister(hostKey: Uint8Array, nonce: Uint8Array, signature: Uint8Array): boolean {
  return verify(hostKey, concatBytes(LABEL_REGISTER, nonce), signature);
}
