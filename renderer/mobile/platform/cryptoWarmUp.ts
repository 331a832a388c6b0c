/**
 * Warms up the session handshake's JavaScript crypto while the first socket is still connecting.
 * The handshake runs X25519 and Ed25519 in @noble/curves (shared/crypto); in a fresh page their
 * first use compiles the field arithmetic and builds Ed25519's base-point tables, which the phone
 * benchmark measured as ~30 ms of a cold resume (bench/phoneBench.ts, docs/performance.md
 * "Phone"). Run in the task after the socket was created, that work overlaps the TLS and
 * WebSocket set-up and the relay's answer instead of following them. It uses throwaway keys
 * only; nothing it makes is kept.
 */
import { generateIdentity, sign, verify } from '../../../shared/crypto/identity';
import { ephemeralKeyPair, x25519SharedSecret } from '../../../shared/crypto/keySchedule';

let started = false;

/** Once per page: schedules the warm-up for the next task (the caller's socket is opening meanwhile). */
export function warmUpHandshakeCrypto(schedule: (run: () => void) => void = (run) => setTimeout(run, 0)): void {
  if (started) return;
  started = true;
  schedule(() => {
    try {
      const id = generateIdentity();
      const message = new Uint8Array(32);
      verify(id.publicKey, message, sign(id, message));
      const a = ephemeralKeyPair();
      x25519SharedSecret(ephemeralKeyPair().privateKey, a.publicKey);
    } catch {
      // only a warm-up: the handshake does the real work either way
    }
  });
}
