/**
 * The embedded relay's address, kept stable across restarts (docs/security.md): pairing links,
 * the relay URL every paired controller stores and resumes through, all name its port. With
 * `127.0.0.1:0` a restart picked a new port and every paired phone lost the host. So the port
 * is chosen once, stored in `<data dir>/relay.json`, and reused; if something else holds it,
 * the start fails with the fix instead of silently moving.
 *
 * The chosen port lies below the OS's ephemeral range: ports handed out for `:0` binds and
 * outgoing connections come from that range, so another program (or our own engine, which
 * listens on `127.0.0.1:0`) is unlikely to take it while the host is stopped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { parseRelayListen } from '../../relay/server/parseListenUrl.js';
import { EMBEDDED_RELAY_LIMITS } from '../../relay/server/limits.js';
import { startRelay, type Relay } from '../../relay/server/relayServer.js';
import type { RelayOptions } from '../../relay/server/limits.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';

export const RELAY_STATE_FILE = 'relay.json';
export const DEFAULT_RELAY_LISTEN = '127.0.0.1:0';

const RelayStateSchema = z.object({ version: z.literal(1), port: z.number().int().min(1).max(65535) }).strict();

export class EmbeddedRelayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedRelayError';
  }
}

export interface EmbeddedRelayOptions {
  readonly dataDir: string;
  /** `--relay-listen IP:PORT` (default 127.0.0.1:0: the stored port, or one chosen and stored now). */
  readonly listen?: string;
  readonly logger: Logger;
  /** Starts the relay on host:port (injected in tests; default `startRelay`). */
  readonly start?: (host: string, port: number) => Promise<Relay>;
  /** Uniform [0, 1) for the first choice of a port. */
  readonly random?: () => number;
  /** Serves the phone web client at `/` and `/pair` (relay/server/phoneApp.ts). */
  readonly staticHandler?: RelayOptions['staticHandler'];
  /** HTTPS/WSS with this certificate and key (`serve --relay-tls-cert/--relay-tls-key`). */
  readonly tls?: RelayOptions['tls'];
}

/** How many free-looking ports a first start tries before giving up. */
const FIRST_CHOICE_ATTEMPTS = 20;

/**
 * Starts the embedded relay. An explicit port is used as given (and not stored); port 0 means
 * "this host's port": the stored one, or on the first start a new one that is then stored.
 */
export async function startEmbeddedRelay(o: EmbeddedRelayOptions): Promise<Relay> {
  const listen = o.listen ?? DEFAULT_RELAY_LISTEN;
  const { host, port } = parseRelayListen(listen);
  const extra: Pick<RelayOptions, 'staticHandler' | 'tls'> = { ...(o.staticHandler ? { staticHandler: o.staticHandler } : {}), ...(o.tls ? { tls: o.tls } : {}) };
  const start = o.start ?? ((h: string, p: number) => startRelay({ ...EMBEDDED_RELAY_LIMITS, ...extra, host: h, port: p, logger: o.logger }));
  const stateFile = path.join(o.dataDir, RELAY_STATE_FILE);
  const hp = (p: number | string) => (host.includes(':') ? `[${host}]:${p}` : `${host}:${p}`);

  if (port !== 0) {
    return start(host, port).catch((err: unknown) => {
      throw new EmbeddedRelayError(`the embedded relay cannot listen on ${hp(port)} (${describeListenError(err)}): free the port, or choose another with --relay-listen`);
    });
  }

  const stored = await readJsonFile(stateFile, RelayStateSchema, 4096).catch((err: unknown) => {
    throw new EmbeddedRelayError(`${stateFile} is unreadable (${errorMessage(err)}); remove it to choose a new relay port (devices paired through the old one must then pair again)`);
  });
  if (stored) {
    return start(host, stored.port).catch((err: unknown) => {
      throw new EmbeddedRelayError(
        `the embedded relay cannot listen on ${hp(stored.port)} (${describeListenError(err)}); this host keeps that port (in ${stateFile}) so pairing links and paired devices keep working: ` +
          `stop what uses it, or start with --relay-listen ${hp('PORT')} for another port (devices paired through the old one must then pair again)`,
      );
    });
  }

  const random = o.random ?? Math.random;
  const [low, high] = stablePortRange();
  let lastError: unknown;
  for (let i = 0; i < FIRST_CHOICE_ATTEMPTS; i++) {
    const candidate = low + Math.floor(random() * (high - low + 1));
    try {
      const relay = await start(host, candidate);
      await writeJsonAtomic(stateFile, { version: 1, port: candidate }).catch(async (err: unknown) => {
        await relay.dispose();
        throw err;
      });
      o.logger.info('embedded relay port chosen and stored', { port: candidate, file: stateFile });
      return relay;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new EmbeddedRelayError(`the embedded relay cannot listen on ${hp(candidate)} (${describeListenError(err)})`);
      lastError = err;
    }
  }
  throw new EmbeddedRelayError(`the embedded relay found no free port in ${low}-${high} (${describeListenError(lastError)}); choose one with --relay-listen ${hp('PORT')}`);
}

/** Where a first start looks for a port: below the ephemeral range (Linux: read from /proc). */
function stablePortRange(): [number, number] {
  let ephemeralLow = 32768;
  try {
    const [lo] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo !== undefined && Number.isInteger(lo)) ephemeralLow = lo;
  } catch {
    // Not Linux: macOS and Windows hand out 49152-65535; 32768 leaves both clear.
  }
  const high = Math.min(ephemeralLow - 1, 32767);
  if (high <= 2048) return [20_000, 32767]; // an odd range: no room below it
  return [Math.max(1024, Math.min(20_000, high - 1000)), high];
}

function describeListenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return 'address already in use';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EADDRNOTAVAIL') return 'no such address on this machine';
  return errorMessage(err);
}
