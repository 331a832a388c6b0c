/**
 * Every host this phone is paired with (docs/mobile.md "Hosts"): the records kept in IndexedDB
 * and one live `HostRuntime` each, all connected at once (any number of hosts; opening one
 * never disconnects another, and the list keeps the order they were paired in). Pairing runs
 * one `openControllerTransport` in pair mode, pins the host's key and stores the record before
 * anything else uses it; pairing a host again (a new code after it removed this phone)
 * replaces its record and restarts its session.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { openControllerTransport } from '../../../shared/controller/index';
import type { TrustedHost } from '../../../shared/controller/trustedHost';
import type { PairingLink } from '../../../shared/pairing/pairingLink';
import { errorMessage } from '../../../shared/util/errors';
import type { KeyValueStore } from '../platform/kvStore';
import { loadHostRecords, MAX_HOSTS, saveHostRecords, type PhoneHostRecord } from './hostRecords';
import { HostRuntime, type HostRuntimeDeps } from './hostRuntime';
import { cachedThreadListKey } from './cachedThreadList';
import { knownEnvironmentsKey } from './knownEnvironments';
import { pairFailure, type PairFailure } from './pairingPreview';

export interface PhoneHostsState {
  readonly phase: 'loading' | 'ready' | 'error';
  readonly hosts: readonly PhoneHostRecord[];
  /** Stored records that could not be read (dropped), or a failed save. */
  readonly problems: readonly string[];
  readonly error?: string;
}

export type PairOutcome = { readonly ok: true; readonly hostId: string; readonly again: boolean } | { readonly ok: false; readonly failure: PairFailure };

export class PhoneHosts {
  readonly state: StoreApi<PhoneHostsState> = createStore<PhoneHostsState>()(() => ({ phase: 'loading', hosts: [], problems: [] }));
  readonly #kv: KeyValueStore;
  readonly #deps: Omit<HostRuntimeDeps, 'onRenamed' | 'kv'>;
  readonly #runtimes = new Map<string, HostRuntime>();
  readonly #now: () => number;

  constructor(kv: KeyValueStore, deps: Omit<HostRuntimeDeps, 'onRenamed' | 'kv'>, now: () => number = Date.now) {
    this.#kv = kv;
    this.#deps = deps;
    this.#now = now;
  }

  async load(): Promise<void> {
    try {
      const { hosts, problems } = await loadHostRecords(this.#kv);
      this.state.setState({ phase: 'ready', hosts, problems });
      for (const h of hosts) this.#start(h);
    } catch (err) {
      this.state.setState({ phase: 'error', error: `The paired hosts could not be read: ${errorMessage(err)}` });
    }
  }

  /** The live runtime of a paired host. */
  runtime(hostId: string): HostRuntime | undefined {
    return this.#runtimes.get(hostId);
  }

  /** The phone's network came back: every host waiting to reconnect tries now instead of at the end of its backoff. */
  reconnectWaiting(): void {
    for (const r of this.#runtimes.values()) r.model.session.reconnectNow();
  }

  record(hostId: string): PhoneHostRecord | undefined {
    return this.state.getState().hosts.find((h) => h.trusted.hostId === hostId);
  }

  /** Pairs with the host the link names; on success the host is stored and connecting. */
  async pair(link: PairingLink): Promise<PairOutcome> {
    if (!this.record(link.hostId) && this.state.getState().hosts.length >= MAX_HOSTS) {
      return { ok: false, failure: { kind: 'denied', title: 'Too many hosts', body: `This phone keeps at most ${MAX_HOSTS} hosts. Remove one you no longer use, then try again.` } };
    }
    let trusted: TrustedHost;
    try {
      const opened = await openControllerTransport({ mode: 'pair', link }, { device: this.#deps.device, aead: this.#deps.aead, webSocket: this.#deps.webSocket });
      trusted = opened.trustedHost;
      // The host now trusts this device; the app's own session resumes from the stored record.
      opened.transport.close(1000, 'paired');
    } catch (err) {
      return { ok: false, failure: pairFailure(err, link.name, link, this.#now()) };
    }
    const again = this.record(trusted.hostId) !== undefined;
    const previous = this.record(trusted.hostId);
    const rec: PhoneHostRecord = { trusted, pairedAt: this.#now(), environmentId: previous?.environmentId ?? 'local', notifications: false };
    const hosts = again ? this.state.getState().hosts.map((h) => (h.trusted.hostId === rec.trusted.hostId ? rec : h)) : [...this.state.getState().hosts, rec];
    await this.#save(hosts);
    this.#runtimes.get(rec.trusted.hostId)?.dispose();
    this.#runtimes.delete(rec.trusted.hostId);
    this.#start(rec);
    return { ok: true, hostId: rec.trusted.hostId, again };
  }

  /** Forgets a host on this phone (works offline; the host keeps its entry until revoked there). */
  async remove(hostId: string): Promise<void> {
    this.#runtimes.get(hostId)?.dispose();
    this.#runtimes.delete(hostId);
    await this.#save(this.state.getState().hosts.filter((h) => h.trusted.hostId !== hostId));
    await this.#kv.delete(`outbox.${hostId}`).catch(() => undefined);
    await this.#kv.delete(knownEnvironmentsKey(hostId)).catch(() => undefined);
    await this.#kv.delete(cachedThreadListKey(hostId)).catch(() => undefined);
  }

  async setEnvironment(hostId: string, environmentId: string): Promise<void> {
    this.#runtimes.get(hostId)?.setEnvironment(environmentId);
    await this.#update(hostId, { environmentId });
  }

  async setNotifications(hostId: string, notifications: boolean): Promise<void> {
    await this.#update(hostId, { notifications });
  }

  dispose(): void {
    for (const r of this.#runtimes.values()) r.dispose();
    this.#runtimes.clear();
  }

  #start(rec: PhoneHostRecord): void {
    const runtime = new HostRuntime(rec.trusted, rec.environmentId, {
      ...this.#deps,
      kv: this.#kv,
      onRenamed: (trusted) => void this.#update(trusted.hostId, { trusted }),
    });
    this.#runtimes.set(rec.trusted.hostId, runtime);
  }

  async #update(hostId: string, change: Partial<PhoneHostRecord>): Promise<void> {
    await this.#save(this.state.getState().hosts.map((h) => (h.trusted.hostId === hostId ? { ...h, ...change } : h)));
  }

  async #save(hosts: readonly PhoneHostRecord[]): Promise<void> {
    this.state.setState({ hosts });
    try {
      await saveHostRecords(this.#kv, hosts);
    } catch (err) {
      this.state.setState({ problems: [...this.state.getState().problems, `This phone could not save its hosts: ${errorMessage(err)}`] });
    }
  }
}
