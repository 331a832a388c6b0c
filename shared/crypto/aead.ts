/**
 * The AEAD port of the remote protocol (remote-protocol.md §5): AES-256-GCM with a 12-byte
 * nonce and the 16-byte tag appended to the ciphertext. Three implementations share this
 * interface and are cross-checked byte for byte in tests: `nobleAead` (portable reference),
 * `webCryptoAead` (browser hot path) and `nodeAead` (host/remote-access, Node hot path).
 */

export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;

/** A key imported once, used for many records. Implementations must not keep `nonce`/`aad` references. */
export interface AeadKey {
  /** AES-256-GCM encrypt; returns `ciphertext || tag` (plaintext length + 16 bytes). */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** AES-256-GCM decrypt of `ciphertext || tag`; rejects (with an `Error`) if the tag does not verify. */
  open(nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}

/**
 * Imports a raw 32-byte AES-256 key. The implementation copies what it needs, so the caller may
 * wipe `rawKey` once the promise resolves.
 */
export type AeadFactory = (rawKey: Uint8Array) => Promise<AeadKey>;

/** Throws unless the key and nonce have the lengths AES-256-GCM with 96-bit nonces needs. */
export function checkAeadKey(rawKey: Uint8Array): void {
  if (rawKey.length !== AEAD_KEY_BYTES) throw new Error(`aead.importKey: key must be ${AEAD_KEY_BYTES} bytes`);
}

export function checkAeadNonce(op: string, nonce: Uint8Array): void {
  if (nonce.length !== AEAD_NONCE_BYTES) throw new Error(`${op}: nonce must be ${AEAD_NONCE_BYTES} bytes`);
}

export function checkSealedLength(op: string, sealed: Uint8Array): void {
  if (sealed.length < AEAD_TAG_BYTES) throw new Error(`${op}: ciphertext shorter than the tag`);
}
