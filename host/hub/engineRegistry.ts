/**
 * The hub's environments (docs/architecture.md, docs/host-api.md): environment id → engine port. The
 * host's own engine is `local`; an SSH host adds its port under its own id. A client connection
 * works in one environment, picked with `host/environment/select` before its `initialize`.
 */
import { EnvironmentIdSchema, type EnvironmentKind } from '../../shared/protocol/hostMethods.js';
import { Emitter, toDisposable, type Disposable } from '../../shared/util/lifecycle.js';
import { parseUnknown } from '../../shared/util/schema.js';
import type { EnginePort } from './enginePort.js';

export interface EnvironmentEntry {
  readonly id: string;
  readonly kind: EnvironmentKind;
  /** What a UI shows (the host name, an SSH host alias). */
  readonly name: string;
  readonly engine: EnginePort;
}

export interface EnvironmentChange {
  readonly change: 'added' | 'removed';
  readonly environment: EnvironmentEntry;
}

export class EngineRegistry {
  readonly #entries = new Map<string, EnvironmentEntry>();
  readonly #changes = new Emitter<EnvironmentChange>();

  /** Adds an environment; dispose the result to remove it. Throws on a bad or duplicate id. */
  add(entry: EnvironmentEntry): Disposable {
    parseUnknown(EnvironmentIdSchema, entry.id, 'environment id');
    if (this.#entries.has(entry.id)) throw new Error(`environment ${entry.id} already exists`);
    this.#entries.set(entry.id, entry);
    this.#changes.fire({ change: 'added', environment: entry });
    return toDisposable(() => {
      if (this.#entries.get(entry.id) !== entry) return;
      this.#entries.delete(entry.id);
      this.#changes.fire({ change: 'removed', environment: entry });
    });
  }

  get(id: string): EnvironmentEntry | undefined {
    return this.#entries.get(id);
  }

  list(): EnvironmentEntry[] {
    return [...this.#entries.values()];
  }

  get ids(): string[] {
    return [...this.#entries.keys()];
  }

  onChanged(listener: (change: EnvironmentChange) => void): Disposable {
    return this.#changes.on(listener);
  }
}
