/**
 * SSH hosts as environments of the hub (docs/ssh.md, "Environments"): every enabled host is
 * environment `ssh:<alias>` (kind `ssh`, named after the alias) beside `local`, with the
 * host's `SshEnginePort`, so threads, turns and approvals on it work for every kind of client.
 * An environment is added when its host is enabled and removed when it is disabled (the hub
 * then closes its clients with 1001); `sync` makes the registry match the enabled hosts.
 */
import type { Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { EnvironmentEntry } from '../hub/engineRegistry.js';
import type { EnginePort } from '../hub/enginePort.js';
import { environmentIdOf } from './sshHostInfo.js';

/** The part of the hub's environment registry used here. */
export interface EnvironmentRegistryLike {
  add(entry: EnvironmentEntry): Disposable;
}

/** The part of `SshHosts` used here. */
export interface EnabledSshHosts {
  enabledNames(): readonly string[];
  enginePort(name: string): EnginePort | undefined;
}

export class SshEnvironments implements Disposable {
  readonly #registry: EnvironmentRegistryLike;
  readonly #hosts: EnabledSshHosts;
  readonly #logger: Logger | undefined;
  readonly #entries = new Map<string, { readonly port: EnginePort; readonly handle: Disposable }>();
  /** Hosts whose environment must not come back yet (their settings are being replaced). */
  readonly #held = new Set<string>();

  constructor(registry: EnvironmentRegistryLike, hosts: EnabledSshHosts, logger?: Logger) {
    this.#registry = registry;
    this.#hosts = hosts;
    this.#logger = logger;
  }

  /** The environment id of each host that has one now. */
  get ids(): ReadonlyMap<string, string> {
    return new Map([...this.#entries.keys()].map((name) => [name, environmentIdOf(name)]));
  }

  /** Adds an environment for each enabled host, removes those of hosts no longer enabled (or whose port was replaced). */
  sync(): void {
    const enabled = new Set(this.#hosts.enabledNames());
    for (const [name, e] of [...this.#entries]) if (!enabled.has(name) || this.#hosts.enginePort(name) !== e.port) this.remove(name);
    for (const name of enabled) {
      if (this.#entries.has(name) || this.#held.has(name)) continue;
      const port = this.#hosts.enginePort(name);
      if (!port) continue;
      try {
        const handle = this.#registry.add({ id: environmentIdOf(name), kind: 'ssh', name: name.slice(0, 128), engine: port });
        this.#entries.set(name, { port, handle });
      } catch (err) {
        // Only an id clash (two aliases that reduce to the same id) can land here.
        this.#logger?.warn('SSH host not added as an environment', { host: name, error: errorMessage(err) });
      }
    }
  }

  /** Removes the environment of `name` now (before its engine stops, so its clients hear why). */
  remove(name: string): void {
    const e = this.#entries.get(name);
    if (!e) return;
    this.#entries.delete(name);
    e.handle.dispose();
  }

  /** Removes the environment of `name` and keeps it away until `release` (while a host is edited). */
  hold(name: string): void {
    this.#held.add(name);
    this.remove(name);
  }

  release(name: string): void {
    this.#held.delete(name);
  }

  dispose(): void {
    for (const name of [...this.#entries.keys()]) this.remove(name);
  }
}
