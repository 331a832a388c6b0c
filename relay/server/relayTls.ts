/**
 * The relay's own TLS (docs/relay.md "HTTPS"): a certificate and key read from two PEM files
 * and turned into a `SecureContext`, so a phone reaches the relay (and the phone app it serves)
 * in a secure context without a reverse proxy. The files are checked every `pollIntervalMs`;
 * when either changes (a renewal by certbot or acme.sh replaces them), the pair is loaded again
 * and new connections use it. A pair that does not load (half-written, key not matching) is
 * logged and the previous one stays in use, so a renewal can never take the relay offline.
 */
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';

/** Where the certificate chain and the private key are (PEM). */
export interface RelayTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** How often the files are checked for a change. */
export const TLS_POLL_INTERVAL_MS = 2_000;
/** A PEM file larger than this is not a certificate or key. */
const MAX_PEM_BYTES = 1024 * 1024;

export class RelayTlsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayTlsError';
  }
}

function fingerprintOf(file: string): string {
  const s = statSync(file);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

function readPem(file: string, what: string): Buffer {
  const s = statSync(file);
  if (!s.isFile()) throw new RelayTlsError(`${what} ${file} is not a file`);
  if (s.size > MAX_PEM_BYTES) throw new RelayTlsError(`${what} ${file} is larger than ${MAX_PEM_BYTES} bytes`);
  return readFileSync(file);
}

/** A certificate chain and its key, checked to load together. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Loads the pair; throws a `RelayTlsError` naming what is wrong. */
function loadCredentials(files: RelayTlsFiles): TlsCredentials {
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = readPem(files.certFile, 'the TLS certificate');
    key = readPem(files.keyFile, 'the TLS key');
  } catch (err) {
    if (err instanceof RelayTlsError) throw err;
    throw new RelayTlsError(`cannot read the TLS files (${errorMessage(err)})`);
  }
  try {
    createSecureContext({ cert, key });
    return { cert, key };
  } catch (err) {
    throw new RelayTlsError(`the TLS certificate ${files.certFile} and key ${files.keyFile} do not load (${errorMessage(err)})`);
  }
}

export class RelayTls {
  readonly files: RelayTlsFiles;
  readonly #logger: Logger;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #listeners = new Set<(credentials: TlsCredentials) => void>();
  #credentials: TlsCredentials;
  #seen: string;
  #reloads = 0;

  /** Loads the pair now (throws `RelayTlsError` when it cannot) and starts watching the files. */
  constructor(files: RelayTlsFiles, logger: Logger, pollIntervalMs = TLS_POLL_INTERVAL_MS) {
    this.files = files;
    this.#logger = logger;
    this.#seen = this.#fingerprint();
    this.#credentials = loadCredentials(files);
    this.#timer = setInterval(() => this.check(), pollIntervalMs);
    this.#timer.unref();
  }

  /** The pair new connections get. */
  get credentials(): TlsCredentials {
    return this.#credentials;
  }

  /** Called with each newly loaded pair (the server swaps its secure context). */
  onReload(listener: (credentials: TlsCredentials) => void): void {
    this.#listeners.add(listener);
  }

  /** How many times a changed pair was loaded. */
  get reloads(): number {
    return this.#reloads;
  }

  /** Loads the pair again if a file changed since the last look (also run by the timer). */
  check(): void {
    const now = this.#fingerprint();
    if (now === this.#seen) return;
    try {
      const credentials = loadCredentials(this.files);
      for (const l of this.#listeners) l(credentials);
      this.#credentials = credentials;
      this.#seen = now;
      this.#reloads += 1;
      this.#logger.info('TLS certificate reloaded', { cert: this.files.certFile });
    } catch (err) {
      // Keep the previous pair; a renewal that is still being written is retried next time.
      this.#logger.warn('TLS certificate changed but does not load; still using the previous one', { error: errorMessage(err) });
    }
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#listeners.clear();
  }

  #fingerprint(): string {
    try {
      return `${fingerprintOf(this.files.certFile)}|${fingerprintOf(this.files.keyFile)}`;
    } catch {
      return 'unreadable';
    }
  }
}
