/**
 * The hosts this host controls (docs/remotes.md): add one from its pairing link (pair as a
 * controller of kind `host`, named like this host), list them with their honest state, rename,
 * remove (offline too: the other host is not contacted), the connect toggle (persisted), and
 * the TUI endpoint. While its toggle is on, a remote is an environment of this host's hub
 * (`remote:<hostId>`, kind `remote`), so every client of this host can drive its threads with
 * `host/environment/select`.
 */
import { createHash } from 'node:crypto';
import { pair } from '../../shared/controller/controllerSession.js';
import type { ControllerDeps, ControllerDevice } from '../../shared/controller/controllerSession.js';
import { RemoteSessionError } from '../../shared/controller/remoteSessionError.js';
import type { TrustedHost } from '../../shared/controller/trustedHost.js';
import type { AeadFactory } from '../../shared/crypto/aead.js';
import type { DevicePlatform } from '../../shared/crypto/handshakeRecords.js';
import { signerFromIdentity, type Identity } from '../../shared/crypto/identity.js';
import type { WebSocketFactory } from '../../shared/controller/webSocketLike.js';
import { PairingLinkError, parsePairingLink } from '../../shared/pairing/pairingLink.js';
import { chooseRemoteState, remoteEnvironmentId, remoteSubtitle, type RemoteInfo } from '../../shared/protocol/features/remotesApi.js';
import { HostClient } from '../../shared/protocol/hostClient.js';
import type { HostInfo } from '../../shared/protocol/hostMethods.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import type { BackoffOptions } from '../../shared/util/backoff.js';
import { fromB64u } from '../../shared/util/encoding.js';
import { errorMessage } from '../../shared/util/errors.js';
import { DisposableStore, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { RawListenerOptions } from '../listener/listenerOptions.js';
import type { Hub } from '../hub/hub.js';
import { startRemoteEndpoint, type RemoteEndpoint } from './remoteEndpoint.js';
import { RemoteEnginePort } from './remoteEnginePort.js';
import { RemoteLink } from './remoteLink.js';
import type { RemoteRecord, RemotesStore } from './remotesStore.js';

export interface RemotesServiceDeps {
  readonly hub: Hub;
  readonly records: RemotesStore;
  /** This host's controller key: `create` makes it on the first add. Rejects with the reason when unusable. */
  readonly device: (create: boolean) => Promise<Identity | undefined>;
  /** The name the controlled hosts list this host under (its display name). */
  readonly deviceName: string;
  readonly platform: NodeJS.Platform;
  readonly aead: AeadFactory;
  readonly webSocket: WebSocketFactory;
  readonly minCodexVersion: string;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  readonly now?: () => Date;
}

/** A remote whose toggle is on: its link, its environment, its endpoints. */
interface Active {
  readonly link: RemoteLink;
  readonly port: RemoteEnginePort;
  readonly store: DisposableStore;
  environment: Disposable | undefined;
}

/** The controller platform a host announces (ClientAuth allows a fixed set). */
export function devicePlatformOf(platform: NodeJS.Platform): DevicePlatform {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  if (platform === 'android') return 'android';
  return 'linux';
}

/** `SHA256:` + base64 (no padding) of the SHA-256 of a b64u host key, as ssh prints key fingerprints. */
export function hostKeyFingerprint(hostKeyB64u: string): string {
  return `SHA256:${createHash('sha256').update(fromB64u(hostKeyB64u)).digest('base64').replace(/=+$/, '')}`;
}

export class RemotesService {
  readonly #d: RemotesServiceDeps;
  readonly #active = new Map<string, Active>();
  /** TUI endpoints by the id of the client connection that asked for them (they end with it). */
  readonly #endpoints = new Map<string, { remoteId: string; endpoint: RemoteEndpoint }[]>();
  readonly #store = new DisposableStore();
  #device: ControllerDeps | undefined;
  #deviceProblem: string | undefined;
  #disposed = false;

  constructor(deps: RemotesServiceDeps) {
    this.#d = deps;
    this.#store.add(
      deps.hub.onClientsChanged(({ change, client }) => {
        if (change === 'left') void this.#closeEndpointsOf(client.id);
      }),
    );
  }

  /** Connects the remotes whose toggle is on (a missing controller key is reported, not fatal). */
  async start(): Promise<void> {
    const wanted = this.#d.records.list().filter((r) => r.autoConnect && r.removedAt === null);
    if (!wanted.length) return;
    const deps = await this.#controller(false).catch((err: unknown) => {
      this.#deviceProblem = errorMessage(err);
      this.#d.logger.error(this.#deviceProblem);
      return undefined;
    });
    if (!deps) return;
    for (const r of wanted) this.#enable(r.hostId);
  }

  /** This host's controller device id, once it has one. */
  get deviceId(): string | undefined {
    return this.#d.records.device?.deviceId;
  }

  /** A problem an operator must see (unreadable list, unusable controller key), or undefined. */
  get problem(): string | undefined {
    return [this.#d.records.problem, this.#deviceProblem].filter(Boolean).join('; ') || undefined;
  }

  list(): RemoteInfo[] {
    return this.#d.records.list().map((r) => this.#view(r));
  }

  /** Pairs with the host of `linkText` and controls it from now on (a host added again is paired again). */
  async add(linkText: string): Promise<RemoteInfo> {
    const deps = await this.#controller(true).catch((err: unknown) => {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/add: ${errorMessage(err)}`);
    });
    let link;
    try {
      link = parsePairingLink(linkText.trim());
    } catch (err) {
      throw new RpcError(RpcErrorCode.InvalidParams, `host/remotes/add: ${addFailure(err)}`);
    }
    if (link.hostId === this.#d.hub.info().hostId) throw new RpcError(RpcErrorCode.InvalidParams, 'host/remotes/add: this is this host\u2019s own pairing link; paste it on the other host');
    let paired;
    try {
      paired = await pair(linkText.trim(), deps!, { reconnect: false });
    } catch (err) {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/add: ${addFailure(err)}`);
    }
    const { session, trustedHost } = paired;
    let info: HostInfo;
    try {
      info = await new HostClient(session.rpc).call('host/info');
    } catch (err) {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/add: paired, but could not read the other host's info (${errorMessage(err)}); try again`);
    } finally {
      session.close();
    }
    const welcome = session.host!;
    const now = this.#now();
    const existing = this.#d.records.get(trustedHost.hostId);
    const record: RemoteRecord = {
      hostId: trustedHost.hostId,
      hostKey: trustedHost.hostKey,
      relay: trustedHost.relay,
      name: existing?.name ?? welcome.name,
      hostName: welcome.name,
      platform: welcome.platform,
      arch: info.arch ?? null,
      hostVersion: welcome.version,
      codexVersion: info.engine.version ?? null,
      addedAt: existing?.addedAt ?? now,
      lastSeen: now,
      autoConnect: true,
      removedAt: null,
    };
    this.#disable(record.hostId);
    await this.#save(() => this.#d.records.put(record), 'add');
    this.#d.logger.info('added a controlled host', { hostId: record.hostId, name: record.name });
    this.#enable(record.hostId);
    const view = this.#view(this.#d.records.get(record.hostId)!);
    this.#notify(existing ? 'state' : 'added', view);
    return view;
  }

  async rename(remoteId: string, name: string): Promise<RemoteInfo> {
    this.#known(remoteId, 'rename');
    const rec = await this.#save(() => this.#d.records.update(remoteId, (r) => ({ ...r, name })), 'rename');
    // Its environment is named after it: the sidebars of this host's clients follow.
    this.#active.get(remoteId)?.port.nameChanged();
    const view = this.#view(rec!);
    this.#notify('renamed', view);
    return view;
  }

  /** Forgets the remote here (its environment and endpoints end); the other host is not contacted. */
  async remove(remoteId: string): Promise<boolean> {
    const rec = this.#d.records.get(remoteId);
    if (!rec) return false;
    this.#disable(remoteId);
    await this.#closeEndpointsFor(remoteId);
    await this.#save(() => this.#d.records.remove(remoteId), 'remove');
    this.#notify('removed', this.#view({ ...rec, autoConnect: false }));
    return true;
  }

  /** The connect toggle on (persisted): connects now and at every start. */
  async connect(remoteId: string): Promise<RemoteInfo> {
    this.#known(remoteId, 'connect');
    let deps: ControllerDeps | undefined;
    try {
      deps = await this.#controller(false);
    } catch (err) {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/connect: ${errorMessage(err)}`);
    }
    if (!deps) throw new RpcError(RpcErrorCode.InvalidRequest, 'host/remotes/connect: this host has no controller key; add the host again with a new link');
    // Connecting again after "Removed by" tries once more: the other host will say revoked again.
    const rec = await this.#save(() => this.#d.records.update(remoteId, (r) => ({ ...r, autoConnect: true, removedAt: null })), 'connect');
    // A link that stopped for good (removed, refused, too old) starts over; a live one is kept.
    const active = this.#active.get(remoteId);
    if (active && (active.link.status.removed || active.link.status.phase === 'failed' || !active.environment)) this.#disable(remoteId);
    this.#enable(remoteId);
    const view = this.#view(rec!);
    this.#notify('state', view);
    return view;
  }

  /** The connect toggle off (persisted): the connection, the environment and its endpoints end. */
  async disconnect(remoteId: string): Promise<RemoteInfo> {
    this.#known(remoteId, 'disconnect');
    this.#disable(remoteId);
    await this.#closeEndpointsFor(remoteId);
    const rec = await this.#save(() => this.#d.records.update(remoteId, (r) => ({ ...r, autoConnect: false })), 'disconnect');
    const view = this.#view(rec!);
    this.#notify('state', view);
    return view;
  }

  /** Starts a TUI endpoint for the remote, held until connection `callerId` leaves. */
  async listen(remoteId: string, raw: RawListenerOptions, callerId: string): Promise<RemoteEndpoint & { environmentId: string }> {
    const rec = this.#known(remoteId, 'listen');
    const active = this.#active.get(remoteId);
    if (!active || !rec.autoConnect) {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/listen: ${rec.name} is not connected; turn its connection on first (codex-host remotes connect ${remoteId})`);
    }
    const environmentId = remoteEnvironmentId(remoteId);
    const endpoint = await startRemoteEndpoint({
      hub: this.#d.hub,
      environmentId,
      name: rec.name,
      raw,
      // The remote's current link (a connect after a refusal replaces it).
      ready: () => this.#active.get(remoteId)?.port.state === 'running',
      logger: this.#d.logger.child(`endpoint ${remoteId.slice(0, 8)}`),
    });
    if (!this.#d.hub.clients().some((c) => c.id === callerId)) {
      // The caller left while the listener started: nothing would ever close it.
      await endpoint.dispose();
      throw new RpcError(RpcErrorCode.InvalidRequest, 'host/remotes/listen: the calling connection has closed');
    }
    const list = this.#endpoints.get(callerId) ?? [];
    list.push({ remoteId, endpoint });
    this.#endpoints.set(callerId, list);
    this.#d.logger.info('TUI endpoint started', { remote: remoteId.slice(0, 8), url: endpoint.url });
    return { ...endpoint, environmentId };
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const id of [...this.#endpoints.keys()]) await this.#closeEndpointsOf(id);
    for (const id of [...this.#active.keys()]) this.#disable(id);
    await this.#store.dispose();
    await this.#d.records.dispose();
  }

  #known(remoteId: string, op: string): RemoteRecord {
    const rec = this.#d.records.get(remoteId);
    if (!rec) throw new RpcError(RpcErrorCode.InvalidParams, `host/remotes/${op}: no controlled host with id ${remoteId}`, { remoteId });
    return rec;
  }

  async #save<T>(write: () => Promise<T>, op: string): Promise<T> {
    try {
      return await write();
    } catch (err) {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/${op}: ${errorMessage(err)}`);
    }
  }

  /** The controller deps (device key, name, platform, kind host); `create` makes the key on the first add. */
  async #controller(create: boolean): Promise<ControllerDeps | undefined> {
    if (this.#device) return this.#device;
    const identity = await this.#d.device(create);
    if (!identity) return undefined;
    this.#deviceProblem = undefined;
    const device: ControllerDevice = { signer: signerFromIdentity(identity), name: this.#d.deviceName, platform: devicePlatformOf(this.#d.platform), kind: 'host' };
    this.#device = { device, aead: this.#d.aead, webSocket: this.#d.webSocket, logger: this.#d.logger.child('controller') };
    return this.#device;
  }

  /** Starts the link and adds the environment. */
  #enable(remoteId: string): void {
    if (this.#disposed || this.#active.has(remoteId) || !this.#device) return;
    const records = this.#d.records;
    const current = (): RemoteRecord | undefined => records.get(remoteId);
    const store = new DisposableStore(this.#d.logger);
    const link = store.add(
      new RemoteLink({
        host: (): TrustedHost => {
          const r = current()!;
          return { hostId: r.hostId, hostKey: r.hostKey, relay: r.relay, name: r.hostName };
        },
        displayName: () => current()?.name ?? remoteId.slice(0, 8),
        controller: this.#device,
        minCodexVersion: this.#d.minCodexVersion,
        logger: this.#d.logger.child(`remote ${remoteId.slice(0, 8)}`),
        ...(this.#d.backoff ? { backoff: this.#d.backoff } : {}),
      }),
    );
    const port = store.add(new RemoteEnginePort(link, () => current()?.codexVersion ?? undefined));
    const active: Active = { link, port, store, environment: undefined };
    this.#active.set(remoteId, active);
    store.add(link.onChange((s) => this.#onLinkChange(remoteId, active, s.removed)));
    store.add(
      link.onSighting(({ welcome, info }) => {
        void records
          .update(remoteId, (r) => ({
            ...r,
            hostName: welcome.name,
            platform: welcome.platform,
            hostVersion: welcome.version,
            arch: info.arch ?? r.arch,
            codexVersion: info.engine.version ?? r.codexVersion,
            lastSeen: this.#now(),
          }))
          .catch((err: unknown) => this.#d.logger.warn('could not save what a controlled host reported', { error: errorMessage(err) }));
      }),
    );
    store.add(link.onSessionEnded(() => void records.update(remoteId, (r) => ({ ...r, lastSeen: this.#now() })).catch(() => {})));
    const name = (): string => current()?.name ?? remoteId;
    active.environment = this.#d.hub.environments.add({
      id: remoteEnvironmentId(remoteId),
      kind: 'remote',
      get name() {
        return name();
      },
      engine: port,
    });
    link.start();
  }

  #disable(remoteId: string): void {
    const active = this.#active.get(remoteId);
    if (!active) return;
    this.#active.delete(remoteId);
    active.environment?.dispose();
    void active.store.dispose();
  }

  #onLinkChange(remoteId: string, active: Active, removed: boolean): void {
    if (removed && this.#active.get(remoteId) === active) {
      // Revoked there: the environment goes (its clients are told), the state is kept on disk.
      active.environment?.dispose();
      active.environment = undefined;
      void this.#closeEndpointsFor(remoteId);
      void this.#d.records
        .update(remoteId, (r) => (r.removedAt ? r : { ...r, removedAt: this.#now() }))
        .then((rec) => rec && this.#notify('state', this.#view(rec)))
        .catch((err: unknown) => this.#d.logger.warn('could not save that a controlled host revoked this host', { error: errorMessage(err) }));
    }
    const rec = this.#d.records.get(remoteId);
    if (rec) this.#notify('state', this.#view(rec));
  }

  #view(r: RemoteRecord): RemoteInfo {
    const status = this.#active.get(r.hostId)?.link.status;
    const removed = r.removedAt !== null || !!status?.removed;
    const keyProblem = r.autoConnect && !removed && !status ? this.#deviceProblem : undefined;
    const state = chooseRemoteState({
      removed,
      autoConnect: r.autoConnect,
      phase: keyProblem ? 'failed' : (status?.phase ?? 'idle'),
      offline: status?.offline ?? false,
      updateRequired: !!status?.updateRequired,
    });
    const message = keyProblem ?? status?.message;
    const shown = state === 'failed' || state === 'offline' || state === 'updateRequired' || state === 'removed' ? message : undefined;
    return {
      id: r.hostId,
      name: r.name,
      environmentId: remoteEnvironmentId(r.hostId),
      state,
      label: remoteSubtitle(state, r.name, message?.slice(0, 500)),
      ...(shown ? { message: shown.slice(0, 500) } : {}),
      ...(state === 'updateRequired' && status?.updateRequired ? { versions: status.updateRequired } : {}),
      autoConnect: r.autoConnect,
      addedAt: r.addedAt,
      lastSeen: r.lastSeen,
      removedAt: r.removedAt ?? (removed ? this.#now() : null),
      details: {
        hostName: r.hostName,
        platform: r.platform,
        ...(r.arch ? { arch: r.arch } : {}),
        ...(r.codexVersion ? { codexVersion: r.codexVersion } : {}),
        ...(r.hostVersion ? { hostVersion: r.hostVersion } : {}),
        fingerprint: hostKeyFingerprint(r.hostKey),
        relay: r.relay,
      },
    };
  }

  #notify(change: 'added' | 'removed' | 'renamed' | 'state', remote: RemoteInfo): void {
    if (this.#disposed) return;
    this.#d.hub.notify('host/remotes/changed', { change, remote });
  }

  async #closeEndpointsOf(callerId: string): Promise<void> {
    const list = this.#endpoints.get(callerId);
    if (!list) return;
    this.#endpoints.delete(callerId);
    for (const e of list) await e.endpoint.dispose().catch(() => {});
  }

  async #closeEndpointsFor(remoteId: string): Promise<void> {
    for (const [caller, list] of [...this.#endpoints]) {
      const keep = list.filter((e) => e.remoteId !== remoteId);
      for (const e of list) if (e.remoteId === remoteId) await e.endpoint.dispose().catch(() => {});
      if (keep.length) this.#endpoints.set(caller, keep);
      else this.#endpoints.delete(caller);
    }
  }

  #now(): string {
    return (this.#d.now?.() ?? new Date()).toISOString();
  }
}

/** Why pairing with a link failed, for the person who pasted it. */
function addFailure(err: unknown): string {
  if (err instanceof PairingLinkError) return `this is not a usable pairing link (${err.message}); show a new one on the other host (codex-host pair)`;
  if (err instanceof RemoteSessionError) {
    switch (err.kind) {
      case 'expired':
        return 'the pairing link has expired or was already used; show a new one on the other host (codex-host pair)';
      case 'offline':
        return 'the other host is offline (not connected to the relay in its link)';
      case 'host_key':
        return 'the other host did not prove the key in its link; this link was not made by that host';
      case 'denied':
        return `the other host refused this host (${err.reason})`;
      case 'network':
        return `cannot reach the relay in the link (${err.reason})`;
      default:
        return err.message;
    }
  }
  return errorMessage(err);
}
