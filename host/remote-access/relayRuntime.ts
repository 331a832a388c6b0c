/**
 * The relay side of remote access while it runs (docs/connections.md): the embedded relay (when
 * the relay is this computer's own) and the host's relay client, started together and stopped
 * together, so "Allow other devices to connect" can go off and on and the relay can change
 * without a restart. Stopping ends every relay session at once (the client closes them and
 * leaves the relay) and then stops the embedded relay.
 *
 * It is the one `RemoteFeatureRelay` the remote feature watches, whichever client is current:
 * its state is the current client's, or `stopped` (with the start failure as `lastError`).
 */
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { formatHostPort } from '../../shared/net/address.js';
import type { HostRelayState } from './hostRelayClient.js';
import { relayAddressForBind, relayAddressFromUrl, type RelayAddress } from './relayAddress.js';

/** Where the relay client registers: the embedded relay bound to `listen` (`IP:PORT`, port 0 = the stored one), or a relay URL. */
export type RelayTarget = { readonly kind: 'embedded'; readonly listen: string } | { readonly kind: 'url'; readonly url: string };

/** What the runtime needs of a relay client (HostRelayClient). */
export interface RelayClientLike {
  readonly state: HostRelayState;
  readonly lastError: string | undefined;
  readonly sessionCount: number;
  onStateChange(listener: (state: HostRelayState) => void): Disposable;
  start(): void;
  dispose(): Promise<void>;
}

/** What the runtime needs of an embedded relay. */
export interface EmbeddedRelayLike {
  readonly host: string;
  readonly port: number;
  /** It serves HTTPS/WSS (`serve --relay-tls-cert`): its address is `wss://`/`https://`. */
  readonly tls?: boolean;
  dispose(): Promise<void>;
}

export interface RelayRuntimeDeps {
  /** Starts the embedded relay on `listen` (startEmbeddedRelay with the data dir). */
  readonly startEmbedded: (listen: string) => Promise<EmbeddedRelayLike>;
  /** A relay client for `wsUrl`, not yet started. */
  readonly createClient: (wsUrl: string) => RelayClientLike;
  readonly logger: Logger;
}

export class RelayRuntime implements Disposable {
  readonly #d: RelayRuntimeDeps;
  readonly #changes = new Emitter<HostRelayState>();
  #client: RelayClientLike | undefined;
  #clientSub: Disposable | undefined;
  #embedded: EmbeddedRelayLike | undefined;
  #address: RelayAddress | undefined;
  #startError: string | undefined;
  #lastState: HostRelayState = 'stopped';
  #reconnects = 0;

  constructor(deps: RelayRuntimeDeps) {
    this.#d = deps;
  }

  get state(): HostRelayState {
    return this.#client?.state ?? 'stopped';
  }

  /** The client's last connection error, or why the relay could not start. */
  get lastError(): string | undefined {
    return this.#client ? this.#client.lastError : this.#startError;
  }

  /** The address in pairing links while running (undefined while stopped). */
  get address(): RelayAddress | undefined {
    return this.#address;
  }

  /** `host:port` of the embedded relay while it runs. */
  get embeddedListening(): string | undefined {
    return this.#embedded ? formatHostPort(this.#embedded.host, this.#embedded.port) : undefined;
  }

  get sessions(): number {
    return this.#client?.sessionCount ?? 0;
  }

  /** How often the registration was lost since the relay last started. */
  get reconnects(): number {
    return this.#reconnects;
  }

  get isRunning(): boolean {
    return this.#client !== undefined;
  }

  /** Fires on every state change and when the start error changes. */
  onStateChange(listener: (state: HostRelayState) => void): Disposable {
    return this.#changes.on(listener);
  }

  /**
   * Starts the relay (the embedded one first, when it is ours) and the client. Rejects with a
   * one-sentence error when the relay cannot start; nothing is left running then, and the error
   * stays as `lastError` until the next start.
   */
  async start(target: RelayTarget): Promise<RelayAddress> {
    if (this.#client) throw new Error('the relay is already running');
    let embedded: EmbeddedRelayLike | undefined;
    let address: RelayAddress;
    try {
      if (target.kind === 'url') address = relayAddressFromUrl(target.url);
      else {
        embedded = await this.#d.startEmbedded(target.listen);
        address = relayAddressForBind(embedded.host, embedded.port, embedded.tls === true);
      }
    } catch (err) {
      await embedded?.dispose().catch(() => {});
      this.#startError = errorMessage(err).slice(0, 500);
      this.#fire();
      throw err;
    }
    this.#embedded = embedded;
    this.#address = address;
    this.#startError = undefined;
    this.#reconnects = 0;
    const client = this.#d.createClient(address.wsUrl);
    this.#client = client;
    this.#clientSub = client.onStateChange((s) => {
      if (s === 'disconnected' && this.#lastState === 'registered') this.#reconnects += 1;
      this.#fire();
    });
    client.start();
    this.#fire();
    return address;
  }

  /** Ends every relay session, leaves the relay and stops the embedded one. Idempotent. */
  async stop(): Promise<void> {
    const client = this.#client;
    const embedded = this.#embedded;
    this.#client = undefined;
    this.#embedded = undefined;
    this.#address = undefined;
    this.#clientSub?.dispose();
    this.#clientSub = undefined;
    if (client) await client.dispose().catch((err: unknown) => this.#d.logger.warn('relay client stop failed', { error: errorMessage(err) }));
    if (embedded) await embedded.dispose().catch((err: unknown) => this.#d.logger.warn('embedded relay stop failed', { error: errorMessage(err) }));
    this.#fire();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.#changes.clear();
  }

  #fire(): void {
    const s = this.state;
    this.#lastState = s;
    this.#changes.fire(s);
  }
}

/** `IP:0` for the embedded relay on `host` (the stored port). */
export function embeddedListenOn(host: string): string {
  return formatHostPort(host, 0);
}
