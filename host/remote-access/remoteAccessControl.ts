/**
 * "Allow other devices to connect" and the relay choice at run time (docs/connections.md,
 * docs/host-api.md "Remote access settings"): the stored settings, the `serve` flags that win
 * over them, and the relay runtime they drive. Changes are serialized (one at a time, in call
 * order), validated before anything stops, saved atomically only once applied, and undone when
 * the new relay cannot start, so a bad input or a failed start leaves the running relay and the
 * stored settings as they were.
 */
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import type { LocalAddress, RelayReach, RelaySetting, RemoteAccessView } from '../../shared/protocol/features/remoteAccessApi.js';
import { isLocalNetworkHost, isLoopbackIp, parseHostPort } from '../../shared/net/address.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { localAddresses } from './localAddresses.js';
import { relayAddressFromUrl } from './relayAddress.js';
import { embeddedListenOn, type RelayRuntime, type RelayTarget } from './relayRuntime.js';
import type { RemoteAccessSettings } from './remoteAccessSettings.js';

/** `serve` flags about the relay (they win over the stored setting). */
export interface RelayFlags {
  readonly relayUrl?: string;
  readonly relayListen?: string;
}

export interface RemoteAccessControlDeps {
  readonly runtime: RelayRuntime;
  readonly flags: RelayFlags;
  /** The stored settings (or the defaults). */
  readonly settings: RemoteAccessSettings;
  /** Whether the settings came from the file (a stored relay that fails to start does not fail the host start). */
  readonly stored: boolean;
  readonly save: (settings: RemoteAccessSettings) => Promise<void>;
  /** Called after the relay address changed (outstanding pairing codes name the old one). */
  readonly onRelayChanged: () => void;
  /** Called after the setting changed (the remote feature announces host/remoteAccess/changed). */
  readonly onChanged: () => void;
  readonly logger: Logger;
  readonly addresses?: () => LocalAddress[];
}

export class RemoteAccessControl {
  readonly #d: RemoteAccessControlDeps;
  #settings: RemoteAccessSettings;
  #queue: Promise<unknown> = Promise.resolve();
  /** Why the relay chosen in the stored settings did not start at boot (a host/info warning). */
  #bootProblem: string | undefined;

  constructor(deps: RemoteAccessControlDeps) {
    this.#d = deps;
    this.#settings = deps.settings;
  }

  get enabled(): boolean {
    return this.#settings.enabled;
  }

  get bootProblem(): string | undefined {
    return this.#bootProblem;
  }

  /**
   * Starts the relay if remote access is on. A relay fixed by flags, or the default one,
   * that cannot start fails the host start (the error says how to fix it); a stored choice that
   * no longer works (an address this computer lost) only leaves remote access stopped, with
   * the reason shown in Settings > Connections, so the app still opens to fix it.
   */
  async boot(): Promise<void> {
    if (!this.#settings.enabled) return;
    const relay = this.relay();
    try {
      await this.#d.runtime.start(this.#target(relay));
    } catch (err) {
      const soft = this.#d.stored && !this.relayFixedBy() && relay.mode !== 'this-computer';
      if (!soft) throw err;
      this.#bootProblem = `remote access did not start: ${errorMessage(err)} (choose another relay in Settings > Connections)`;
      this.#d.logger.warn(this.#bootProblem);
    }
  }

  /** The relay in use: the flags' one, else the stored one. */
  relay(): RelaySetting {
    const { relayUrl, relayListen } = this.#d.flags;
    if (relayUrl) return { mode: 'url', url: relayUrl };
    if (relayListen) {
      const { host } = parseHostPort(relayListen);
      return isLoopbackIp(host) ? { mode: 'this-computer' } : { mode: 'this-network', address: host };
    }
    return this.#settings.relay;
  }

  relayFixedBy(): '--relay' | '--relay-listen' | undefined {
    if (this.#d.flags.relayUrl) return '--relay';
    if (this.#d.flags.relayListen) return '--relay-listen';
    return undefined;
  }

  view(): RemoteAccessView {
    const rt = this.#d.runtime;
    const relay = this.relay();
    const lastError = rt.lastError;
    const fixedBy = this.relayFixedBy();
    const relayUrl = rt.address?.wsUrl ?? (relay.mode === 'url' ? safeWsUrl(relay.url) : undefined);
    return {
      enabled: this.#settings.enabled,
      state: rt.state,
      ...(lastError ? { lastError: lastError.slice(0, 500) } : {}),
      relay,
      ...(relayUrl ? { relayUrl } : {}),
      reach: reachOf(relay, relayUrl),
      ...(rt.embeddedListening ? { embeddedListening: rt.embeddedListening } : {}),
      ...(fixedBy ? { relayFixedBy: fixedBy } : {}),
      sessions: rt.sessions,
      addresses: (this.#d.addresses ?? localAddresses)(),
    };
  }

  /** Turns remote access on or off; resolves once applied and saved. */
  setEnabled(enabled: boolean): Promise<RemoteAccessView> {
    return this.#serialized(async () => {
      if (enabled === this.#settings.enabled && enabled === this.#d.runtime.isRunning) return this.view();
      const next = { ...this.#settings, enabled };
      if (enabled) {
        await this.#startOrExplain('host/remoteAccess/set', this.relay());
        await this.#saveOrUndo('host/remoteAccess/set', next, () => this.#d.runtime.stop());
      } else {
        // Saved first: if the setting cannot be written, nothing is ended.
        await this.#save('host/remoteAccess/set', next);
        await this.#d.runtime.stop();
      }
      this.#settings = next;
      this.#bootProblem = undefined;
      this.#d.logger.info(enabled ? 'remote access turned on' : 'remote access turned off');
      this.#d.onChanged();
      return this.view();
    });
  }

  /** Chooses the relay; restarts remote access on it when it is on. */
  setRelay(relay: RelaySetting): Promise<RemoteAccessView> {
    return this.#serialized(async () => {
      const fixedBy = this.relayFixedBy();
      if (fixedBy) {
        throw new RpcError(RpcErrorCode.InvalidRequest, `host/relay/set: the relay is set by ${fixedBy} on the serve command line; start the host without it to choose the relay here`);
      }
      const checked = this.#validate(relay);
      const previous = this.#settings;
      const next = { ...previous, relay: checked };
      const rt = this.#d.runtime;
      if (previous.enabled) {
        await rt.stop();
        try {
          await this.#startOrExplain('host/relay/set', checked);
        } catch (err) {
          // Back to the relay that ran before; its error (if any) is the one shown.
          await rt.start(this.#target(previous.relay)).catch(() => {});
          throw err;
        }
        await this.#saveOrUndo('host/relay/set', next, async () => {
          await rt.stop();
          await rt.start(this.#target(previous.relay)).catch(() => {});
        });
      } else {
        await this.#save('host/relay/set', next);
      }
      this.#settings = next;
      this.#bootProblem = undefined;
      this.#d.logger.info('relay changed', { relay: checked.mode });
      this.#d.onRelayChanged();
      this.#d.onChanged();
      return this.view();
    });
  }

  #validate(relay: RelaySetting): RelaySetting {
    if (relay.mode === 'url') {
      const url = relay.url.trim();
      try {
        relayAddressFromUrl(url);
      } catch (err) {
        throw new RpcError(RpcErrorCode.InvalidParams, `host/relay/set: ${errorMessage(err).replace(/^--relay: /, '').replace('use --relay wss://…', 'use a wss:// relay URL')}`);
      }
      return { mode: 'url', url };
    }
    if (relay.mode === 'this-network') {
      const addresses = (this.#d.addresses ?? localAddresses)();
      const found = addresses.find((a) => a.address.toLowerCase() === relay.address.toLowerCase());
      if (!found) {
        const usable = addresses.filter((a) => !a.unusable).map((a) => a.address);
        throw new RpcError(
          RpcErrorCode.InvalidParams,
          `host/relay/set: ${relay.address} is not an address of this computer (${usable.length ? `it has ${usable.join(', ')}` : 'it has no network address a phone could reach'})`,
        );
      }
      if (found.unusable) throw new RpcError(RpcErrorCode.InvalidParams, `host/relay/set: ${relay.address} is ${found.unusable}`);
      return { mode: 'this-network', address: found.address };
    }
    return relay;
  }

  #target(relay: RelaySetting): RelayTarget {
    const { relayUrl, relayListen } = this.#d.flags;
    if (relayUrl) return { kind: 'url', url: relayUrl };
    if (relayListen) return { kind: 'embedded', listen: relayListen };
    if (relay.mode === 'url') return { kind: 'url', url: relay.url };
    return { kind: 'embedded', listen: embeddedListenOn(relay.mode === 'this-network' ? relay.address : '127.0.0.1') };
  }

  async #startOrExplain(op: string, relay: RelaySetting): Promise<void> {
    try {
      await this.#d.runtime.start(this.#target(relay));
    } catch (err) {
      throw new RpcError(RpcErrorCode.InternalError, `${op}: ${errorMessage(err)}; nothing was changed`);
    }
  }

  async #save(op: string, next: RemoteAccessSettings): Promise<void> {
    try {
      await this.#d.save(next);
    } catch (err) {
      throw new RpcError(RpcErrorCode.InternalError, `${op}: the setting could not be saved (${errorMessage(err)}); nothing was changed`);
    }
  }

  async #saveOrUndo(op: string, next: RemoteAccessSettings, undo: () => Promise<void>): Promise<void> {
    try {
      await this.#save(op, next);
    } catch (err) {
      await undo();
      throw err;
    }
  }

  #serialized<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step);
    this.#queue = run.catch(() => {});
    return run;
  }
}

/** Who can reach the relay a link names. */
export function reachOf(relay: RelaySetting, relayUrl: string | undefined): RelayReach {
  if (relay.mode === 'this-computer') return 'this-computer';
  const authority = relayUrl ? /^wss?:\/\/(\[[^\]]+\]|[^/:]+)/.exec(relayUrl)?.[1]?.toLowerCase() : undefined;
  const bare = authority?.startsWith('[') ? authority.slice(1, -1) : authority;
  const local = bare !== undefined && (isLoopbackIp(bare) || bare === 'localhost' || bare.endsWith('.localhost'));
  if (relay.mode === 'this-network') return local ? 'this-computer' : 'local-network';
  if (!authority) return 'anywhere';
  if (local) return 'this-computer';
  return isLocalNetworkHost(authority) ? 'local-network' : 'anywhere';
}

function safeWsUrl(url: string): string | undefined {
  try {
    return relayAddressFromUrl(url).wsUrl;
  } catch {
    return undefined;
  }
}
