/**
 * AES-256-GCM through `node:crypto` (OpenSSL) behind the shared `AeadKey` port
 * (shared/crypto/aead.ts): the host's hot path, 6-50x faster than noble (docs/encryption.md).
 * OpenSSL works synchronously; the promise wrapper costs one microtask per record. The key is
 * imported once as a `KeyObject`, so the raw bytes can be wiped by the caller.
 */
import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';
import { AEAD_TAG_BYTES, type AeadFactory, type AeadKey, checkAeadKey, checkAeadNonce, checkSealedLength } from '../../shared/crypto/aead.js';

/** `AES-256-GCM(key, nonce, plaintext, aad)` → `ciphertext || tag`; synchronous. */
function sealSync(key: ReturnType<typeof createSecretKey>, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: AEAD_TAG_BYTES });
  cipher.setAAD(aad);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  return joinOwn(head, tail, cipher.getAuthTag());
}

/** Decrypts `ciphertext || tag`; throws if the tag does not verify. Synchronous. */
function openSync(key: ReturnType<typeof createSecretKey>, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  const split = sealed.length - AEAD_TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: AEAD_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(split));
  const head = decipher.update(sealed.subarray(0, split));
  // final() verifies the tag; until it returns, `head` is unauthenticated and must not escape.
  const tail = decipher.final();
  // GCM output is all in `head` (a buffer of its own); copy only in the unexpected other case.
  return tail.length === 0 ? new Uint8Array(head.buffer, head.byteOffset, head.length) : joinOwn(head, tail);
}

/**
 * `parts` joined into one plain `Uint8Array` with memory of its own (not the shared `Buffer`
 * pool). The allocation is uninitialised but fully overwritten: cheaper than a zero-filled
 * `new Uint8Array` on this per-record path.
 */
function joinOwn(...parts: Buffer[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = Buffer.allocUnsafeSlow(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, n);
}

/** `AeadFactory` over `node:crypto`. */
export const nodeAead: AeadFactory = async (rawKey) => {
  checkAeadKey(rawKey);
  const key = createSecretKey(rawKey); // copies the bytes
  const aead: AeadKey = {
    async seal(nonce, plaintext, aad) {
      checkAeadNonce('aead.seal', nonce);
      return sealSync(key, nonce, plaintext, aad);
    },
    async open(nonce, sealed, aad) {
      checkAeadNonce('aead.open', nonce);
      checkSealedLength('aead.open', sealed);
      try {
        return openSync(key, nonce, sealed, aad);
      } catch {
        throw new Error('aead.open: authentication failed');
      }
    },
  };
  return aead;
};
