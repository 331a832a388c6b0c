/**
 * AES-256-GCM from @noble/ciphers behind the `AeadKey` port (aead.ts). Pure JavaScript and
 * audited, but 6-50x slower than native code (docs/encryption.md): it is the reference the native
 * implementations are cross-checked against, and the fallback where nothing native exists.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { type AeadFactory, type AeadKey, checkAeadKey, checkAeadNonce, checkSealedLength } from './aead.js';

/** `AeadFactory` over @noble/ciphers' `gcm`. */
export const nobleAead: AeadFactory = async (rawKey) => {
  checkAeadKey(rawKey);
  const key = rawKey.slice(); // own copy: the caller wipes its keys after import
  const aead: AeadKey = {
    async seal(nonce, plaintext, aad) {
      checkAeadNonce('aead.seal', nonce);
      return gcm(key, nonce, aad).encrypt(plaintext);
    },
    async open(nonce, sealed, aad) {
      checkAeadNonce('aead.open', nonce);
      checkSealedLength('aead.open', sealed);
      try {
        return gcm(key, nonce, aad).decrypt(sealed);
      } catch {
        throw new Error('aead.open: authentication failed');
      }
    },
  };
  return aead;
};
