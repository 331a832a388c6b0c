/**
 * AES-256-GCM through WebCrypto (`crypto.subtle`) behind the `AeadKey` port (aead.ts): the hot
 * path in the browser and the Electron renderer, about 10-29x faster than noble there
 * (docs/encryption.md). The key is imported once, non-extractable. shared/ compiles without the
 * DOM lib, so the `subtle` object is passed in and typed structurally (`SubtleCryptoLike`);
 * browsers pass `crypto.subtle`, Node passes `globalThis.crypto.subtle`.
 */
import { type AeadFactory, type AeadKey, checkAeadKey, checkAeadNonce, checkSealedLength, AEAD_TAG_BYTES } from './aead.js';

/**
 * Bytes WebCrypto accepts: the DOM's `BufferSource` excludes views of a `SharedArrayBuffer`,
 * so the structural types below say `Uint8Array<ArrayBuffer>`, which keeps the real
 * `crypto.subtle` (DOM lib) and Node's `webcrypto.subtle` assignable to `SubtleCryptoLike`.
 */
export type WebCryptoBytes = Uint8Array<ArrayBuffer>;

/** AES-GCM parameters as WebCrypto takes them. */
export interface AesGcmParamsLike {
  name: 'AES-GCM';
  iv: WebCryptoBytes;
  additionalData: WebCryptoBytes;
  tagLength: number;
}

/** The part of WebCrypto's `SubtleCrypto` this module uses; `K` is the platform's `CryptoKey`. */
export interface SubtleCryptoLike<K = unknown> {
  importKey(
    format: 'raw',
    keyData: WebCryptoBytes,
    algorithm: { name: 'AES-GCM' },
    extractable: boolean,
    keyUsages: Array<'encrypt' | 'decrypt'>,
  ): Promise<K>;
  encrypt(algorithm: AesGcmParamsLike, key: K, data: WebCryptoBytes): Promise<ArrayBuffer>;
  decrypt(algorithm: AesGcmParamsLike, key: K, data: WebCryptoBytes): Promise<ArrayBuffer>;
}

/** `bytes` itself when it views an ordinary `ArrayBuffer` (always, in this project), else a copy. */
function plainBytes(bytes: Uint8Array): WebCryptoBytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as WebCryptoBytes) : bytes.slice();
}

/** Returns an `AeadFactory` that imports keys into `subtle` (non-extractable) once per key. */
export function webCryptoAead<K>(subtle: SubtleCryptoLike<K>): AeadFactory {
  return async (rawKey) => {
    checkAeadKey(rawKey);
    const key = await subtle.importKey('raw', rawKey.slice(), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    const params = (iv: Uint8Array, additionalData: Uint8Array): AesGcmParamsLike => ({
      name: 'AES-GCM',
      iv: plainBytes(iv),
      additionalData: plainBytes(additionalData),
      tagLength: AEAD_TAG_BYTES * 8,
    });
    const aead: AeadKey = {
      async seal(nonce, plaintext, aad) {
        checkAeadNonce('aead.seal', nonce);
        return new Uint8Array(await subtle.encrypt(params(nonce, aad), key, plainBytes(plaintext)));
      },
      async open(nonce, sealed, aad) {
        checkAeadNonce('aead.open', nonce);
        checkSealedLength('aead.open', sealed);
        try {
          return new Uint8Array(await subtle.decrypt(params(nonce, aad), key, plainBytes(sealed)));
        } catch {
          throw new Error('aead.open: authentication failed');
        }
      },
    };
    return aead;
  };
}
