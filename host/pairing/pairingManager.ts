/**
 * One-time pairing secrets (remote-protocol.md §2): each pairing code is a fresh 32-byte
 * secret in a link with a 10-minute expiry. At most 4 unexpired, unused secrets exist (the
 * oldest is dropped first); a screen that regenerates its code drops the one it showed before;
 * a secret dies on first successful use. Secrets live only in memory: a host restart
 * invalidates every outstanding code (the safe choice; docs/protocol.md).
 */
import { randomBytes } from 'node:crypto';
import { encodePairingLink, pairIdFromSecret, PAIRING_LINK_TTL_SECONDS } from '../../shared/pairing/pairingLink.js';
import type { Identity } from '../../shared/crypto/identity.js';
import { equalBytes, toHex } from '../../shared/util/encoding.js';
import type { Disposable } from '../../shared/util/lifecycle.js';

export const MAX_OUTSTANDING_SECRETS = 4;

interface Outstanding {
  readonly pairId: Uint8Array;
  readonly secret: Uint8Array;
  readonly expMs: number;
}

export interface PairingManagerOptions {
  readonly identity: Identity;
  /** The relay as the controller must reach it: ws(s) base URL and the http(s) origin of the link. */
  readonly relay: () => { wsUrl: string; httpOrigin: string };
  readonly hostName: () => string;
  readonly now?: () => number;
  readonly ttlSeconds?: number;
}

export interface PairingCode {
  readonly link: string;
  /** Unix seconds. */
  readonly exp: number;
  readonly expiresAt: string;
  /** hex pairId: names this code (e.g. to replace it) without revealing the secret. */
  readonly pairId: string;
}

export class PairingManager implements Disposable {
  readonly #o: PairingManagerOptions;
  #outstanding: Outstanding[] = [];
  #disposed = false;
  /** Bumped by `dropAll`: an undo from before it must not bring a wiped code back. */
  #generation = 0;

  constructor(options: PairingManagerOptions) {
    this.#o = options;
  }

  #now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  /** Creates a new code. `replaces` (a pairId from an earlier `start`) drops that code first. */
  start(replaces?: string): PairingCode {
    if (this.#disposed) throw new Error('PairingManager.start: the host is stopping');
    this.#prune();
    if (replaces) this.#outstanding = this.#outstanding.filter((o) => toHex(o.pairId) !== replaces);
    const secret = new Uint8Array(randomBytes(32));
    const exp = Math.floor(this.#now() / 1000) + (this.#o.ttlSeconds ?? PAIRING_LINK_TTL_SECONDS);
    const relay = this.#o.relay();
    const link = encodePairingLink({ relay: relay.wsUrl, hostKey: this.#o.identity.publicKey, secret, exp, name: this.#o.hostName() }, relay.httpOrigin);
    const pairId = pairIdFromSecret(secret);
    this.#outstanding.push({ pairId, secret, expMs: exp * 1000 });
    while (this.#outstanding.length > MAX_OUTSTANDING_SECRETS) this.#outstanding.shift();
    return { link, exp, expiresAt: new Date(exp * 1000).toISOString(), pairId: toHex(pairId) };
  }

  /** The unexpired, unused secret named by `pairId`, if any (does not consume it). */
  lookup(pairId: Uint8Array): Uint8Array | undefined {
    this.#prune();
    return this.#outstanding.find((o) => equalBytes(o.pairId, pairId))?.secret;
  }

  /**
   * Consumes the secret (after a verified ClientAuth). Returns an undo function (used when the
   * pairing could not be saved, so the code is not burned), or undefined if the secret is gone
   * (used or expired meanwhile).
   */
  consume(pairId: Uint8Array): (() => void) | undefined {
    this.#prune();
    const entry = this.#outstanding.find((o) => equalBytes(o.pairId, pairId));
    if (!entry) return undefined;
    this.#outstanding = this.#outstanding.filter((o) => o !== entry);
    const generation = this.#generation;
    return () => {
      if (!this.#disposed && generation === this.#generation && entry.expMs > this.#now() && !this.#outstanding.includes(entry)) this.#outstanding.push(entry);
    };
  }

  /** Invalidates every outstanding code and wipes its secret (the relay it names changed); new codes can still be made. */
  dropAll(): void {
    this.#generation += 1;
    for (const o of this.#outstanding) o.secret.fill(0);
    this.#outstanding = [];
  }

  /** Invalidates every outstanding code and wipes its secret (the host is stopping). */
  dispose(): void {
    this.#disposed = true;
    for (const o of this.#outstanding) o.secret.fill(0);
    this.#outstanding = [];
  }

  get outstanding(): number {
    this.#prune();
    return this.#outstanding.length;
  }

  #prune(): void {
    const now = this.#now();
    this.#outstanding = this.#outstanding.filter((o) => o.expMs > now);
  }
}
