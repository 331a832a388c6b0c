/**
 * The host's one composition (docs/architecture.md): `codex-host serve` and the Electron main both call
 * `createHost`. In order: data dir (strict modes, one-host lock, leftover temp files) → engine
 * (found, version-checked, supervised) → audit log → hub → remote access (identity, devices,
 * pairing, embedded relay, relay client; loaded only when on) → remote-TUI listener → local
 * control endpoint. Each step registers what it started in one `DisposableStore`, so
 * `dispose()` ends everything in reverse order, and a failure part-way ends what had started.
 *
 * Options are plain data plus injected adapters (logger, secret stores), so the Electron main
 * can pass its own secret store (safeStorage) and logger. Nothing here imports `electron`.
 */
import os from 'node:os';
import path from 'node:path';
import type { HostInfo } from '../../shared/protocol/hostMethods.js';
import { toDisplayName } from '../../shared/protocol/displayName.js';
import { errorMessage } from '../../shared/util/errors.js';
import { DisposableStore, type AsyncDisposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { createAuditExtension } from '../audit/auditFeature.js';
import { FileAuditLog } from '../audit/auditLog.js';
import { CONTROL_FILE_NAME } from '../control/controlFile.js';
import { startControlEndpoint } from '../control/controlEndpoint.js';
import { DEVICES_FILE_NAME } from '../devices/deviceRegistry.js';
import { checkCodexVersion } from '../engine/checkCodexVersion.js';
import { EngineSupervisor, type EngineRestartPolicy } from '../engine/engineSupervisor.js';
import { findCodexBinary } from '../engine/findCodexBinary.js';
import { SupervisedEnginePort } from '../engine/supervisedEnginePort.js';
import { Hub } from '../hub/hub.js';
import { IDENTITY_MARKER_FILE } from '../identity/hostIdentity.js';
import { createPowerExtension, type PowerAdapters } from '../power/powerExtension.js';
import { POWER_SETTINGS_FILE } from '../power/powerSettings.js';
import type { SecretStoreChoice, SecretStores } from '../identity/secretStore.js';
import { createListenerExtension } from '../listener/listenerExtension.js';
import type { ListenerConfig } from '../listener/listenerOptions.js';
import { LISTENER_SETTINGS_FILE } from '../listener/listenerSettings.js';
import { RELAY_STATE_FILE } from '../remote-access/embeddedRelay.js';
import { REMOTES_FILE_NAME } from '../remotes/remotesStore.js';
import type { BackoffOptions } from '../../shared/util/backoff.js';
import { REMOTE_ACCESS_SETTINGS_FILE } from '../remote-access/remoteAccessSettings.js';
import { PUSH_FILE_NAME } from '../push/pushStore.js';
import type { SshConfig } from '../ssh/sshExtension.js';
import { SSH_STATE_FILES } from '../ssh/sshStateFiles.js';
import { DataDirError, prepareDataDir, type DataDirLayout } from '../storage/dataDir.js';
import { DataDirLockedError, LOCK_FILE_NAME } from '../storage/dataDirLock.js';
import { UnsafeDataDirError } from '../storage/strictModes.js';
import { HOST_VERSION } from '../version.js';
import { HostStartError, type HostExtension, type HostInfoFields } from './hostApp.js';

export const AUDIT_FILE_NAME = 'audit.jsonl';

/** Every file the host keeps in its data dir (strict modes check them; atomic ones get temp cleanup). */
export const DATA_DIR_LAYOUT: DataDirLayout = {
  stateFiles: [DEVICES_FILE_NAME, IDENTITY_MARKER_FILE, CONTROL_FILE_NAME, RELAY_STATE_FILE, AUDIT_FILE_NAME, LOCK_FILE_NAME, REMOTES_FILE_NAME, REMOTE_ACCESS_SETTINGS_FILE, LISTENER_SETTINGS_FILE, POWER_SETTINGS_FILE, PUSH_FILE_NAME, ...SSH_STATE_FILES],
  atomicFiles: [DEVICES_FILE_NAME, IDENTITY_MARKER_FILE, CONTROL_FILE_NAME, RELAY_STATE_FILE, REMOTES_FILE_NAME, REMOTE_ACCESS_SETTINGS_FILE, LISTENER_SETTINGS_FILE, POWER_SETTINGS_FILE, PUSH_FILE_NAME, ...SSH_STATE_FILES],
  secretDirs: ['secrets'],
};

/** Remote access (relay, pairing, trusted devices), as plain data. */
export interface RemoteAccessConfig {
  /** External relay (ws[s]://host[:port]); when absent the embedded relay runs. */
  readonly relayUrl?: string;
  /** Embedded relay bind address `IP:PORT` (default 127.0.0.1 on this host's stored port). */
  readonly relayListen?: string;
  readonly secretStore: SecretStoreChoice;
  /** The Web Push contact subject (`mailto:…` or `https:…`), stored when given (docs/notifications.md). */
  readonly pushSubject?: string;
  /** The embedded relay serves HTTPS/WSS with this certificate and key (PEM files, reloaded on change). */
  readonly relayTls?: { readonly certFile: string; readonly keyFile: string };
}

export interface CreateHostOptions {
  readonly dataDir: string;
  /** The engine's environment (`CODEX_HOME` etc.) and where `CODEX_HOST_CODEX_BIN` is read. */
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly codexBin?: string;
  /** Working directory of the engine process (default: the host's cwd). */
  readonly engineCwd?: string;
  /** The name paired devices see (default: the OS hostname). */
  readonly hostName?: string;
  /** The remote-TUI listener from validated `--listen` flags (they fix it); otherwise the stored settings apply. */
  readonly listener?: ListenerConfig;
  /** Remote access; off when absent (the relay and crypto code is then never loaded). */
  readonly remoteAccess?: RemoteAccessConfig;
  /** SSH hosts as environments (docs/ssh.md); off when absent (the SSH code is then never loaded). */
  readonly ssh?: SshConfig;
  /** Features beyond remote access, started after it. */
  readonly extensions?: readonly HostExtension[];
  /** Progress lines for the person starting the host ("starting the engine…"). */
  readonly progress?: (line: string) => void;
  /** Where secrets live (default: @napi-rs/keyring and the 0600 file; Electron: safeStorage). */
  readonly secretStores?: SecretStores;
  /** Keep-awake's blocker and power source (Electron: powerSaveBlocker + powerMonitor; default: systemd-inhibit / caffeinate / none). */
  readonly power?: PowerAdapters;
  /** Engine supervision overrides (tests, the desktop app). */
  readonly engine?: { readonly restart?: EngineRestartPolicy; readonly stopTimeoutMs?: number };
  /** The platform rules are checked for (default `process.platform`): on `win32` this host cannot control others (docs/remotes.md). */
  readonly platform?: NodeJS.Platform;
  /** Controlling other hosts (docs/remotes.md): on by default (unavailable on Windows); `false` turns it off. */
  readonly remotes?: false | { readonly secretStore?: SecretStoreChoice; readonly backoff?: BackoffOptions };
}

/** A running host. `dispose()` stops it (every client closed, engine drained, lock released); idempotent. */
export interface HostHandle extends AsyncDisposable {
  readonly hub: Hub;
  readonly dataDir: string;
  readonly engine: { readonly version: string; readonly bin: string };
  /** The bound remote-TUI listener URL, when one runs (it can change at run time). */
  readonly listenerUrl: string | undefined;
  /** The config the listener runs with, when one runs. */
  readonly listenerConfig: ListenerConfig | undefined;
  readonly controlUrl: string;
  /** What host/info answers right now. */
  info(): HostInfo;
}

/** Starts the host; rejects with a `HostStartError` (one sentence) and leaves nothing running. */
export async function createHost(o: CreateHostOptions): Promise<HostHandle> {
  const log = o.logger;
  const progress = o.progress ?? (() => {});
  const store = new DisposableStore(log);
  try {
    const dataDir = await openDataDir(o.dataDir, store, log);
    const engine = await findEngine(o);
    progress(`starting the engine (codex ${engine.version}, ${engine.bin})…`);
    const supervisor = store.add(new EngineSupervisor({ launch: { bin: engine.bin, env: o.env, cwd: o.engineCwd }, logger: log, ...o.engine }));
    await supervisor.start().catch((err: unknown) => {
      throw new HostStartError(`the engine did not start: ${errorMessage(err)}`);
    });
    const port = store.add(new SupervisedEnginePort(supervisor, engine.version));
    const audit = new FileAuditLog(path.join(dataDir, AUDIT_FILE_NAME));
    store.add(audit);

    // The name goes into pairing links and welcome records, which only take clean display names.
    const hostName = toDisplayName(o.hostName ?? os.hostname(), 'Codex Host');
    const describers: (() => HostInfoFields)[] = [];
    const hub = new Hub({
      engine: port,
      audit,
      logger: log.child('hub'),
      hostVersion: HOST_VERSION,
      hostName,
      describe: () => describeHost(describers),
      ...(o.platform ? { platform: o.platform } : {}),
    });
    store.add(hub);

    const listener = createListenerExtension(o.listener);
    for (const ext of [...(await extensionsOf(o)), listener.extension, createAuditExtension(path.join(dataDir, AUDIT_FILE_NAME))]) {
      progress(`starting ${ext.name}…`);
      const started = store.add(await ext.start({ hub, dataDir, logger: log.child(ext.name), hostName }));
      // Registered after the extension, so unwinding turns the feature off before it stops.
      if (started.features) store.add(hub.registerFeatures(started.features));
      if (started.describe) describers.push(started.describe);
    }

    const control = await startControlEndpoint({ dataDir, hub, logger: log, version: HOST_VERSION });
    store.add(control);

    return {
      hub,
      dataDir,
      engine,
      get listenerUrl() {
        return listener.handle.url();
      },
      get listenerConfig() {
        return listener.handle.config();
      },
      controlUrl: control.url,
      info: () => hub.info(),
      dispose: () => store.dispose(),
    };
  } catch (err) {
    await store.dispose();
    throw err;
  }
}

/** Strict modes, the one-host lock and the temp-file cleanup; the lock is released last. */
async function openDataDir(dir: string, store: DisposableStore, log: Logger): Promise<string> {
  const prepared = await prepareDataDir(dir, DATA_DIR_LAYOUT).catch((err: unknown) => {
    if (err instanceof DataDirError || err instanceof UnsafeDataDirError || err instanceof DataDirLockedError) throw new HostStartError(err.message);
    throw err;
  });
  store.add(prepared);
  if (prepared.removedTempFiles.length) log.info('removed temp files left by an interrupted write', { files: prepared.removedTempFiles });
  return prepared.dir;
}

async function findEngine(o: CreateHostOptions): Promise<{ version: string; bin: string }> {
  let bin: string;
  try {
    bin = findCodexBinary({ override: o.codexBin, env: o.env }).path;
  } catch (err) {
    throw new HostStartError(errorMessage(err));
  }
  const version = await checkCodexVersion(bin).catch((err: unknown) => {
    throw new HostStartError(errorMessage(err));
  });
  return { version: version.text, bin };
}

/** Remote access first (loaded only when on: `--no-remote` hosts never load the relay or crypto code), controlling others (not on Windows), then the others, then keep-awake. */
async function extensionsOf(o: CreateHostOptions): Promise<HostExtension[]> {
  const out: HostExtension[] = [];
  if (o.remoteAccess) {
    const { createRemoteAccess } = await import('../remote-access/remoteAccess.js');
    out.push(createRemoteAccess({ ...o.remoteAccess, secretStores: o.secretStores }));
  }
  if (o.remotes !== false) {
    const { createRemotes } = await import('../remotes/remotesExtension.js');
    const secretStore = o.remotes?.secretStore ?? o.remoteAccess?.secretStore ?? 'auto';
    out.push(createRemotes({ platform: o.platform ?? process.platform, secretStore, secretStores: o.secretStores, backoff: o.remotes?.backoff }));
  }
  if (o.ssh) out.push((await import('../ssh/sshExtension.js')).createSshExtension({ env: o.env, ...o.ssh }));
  // Keep-awake last: it reads the remote-access state the extensions before it report.
  return [...out, ...(o.extensions ?? []), createPowerExtension({ adapters: o.power })];
}

/** host/info's extra fields: the extensions' (warnings merged; the listener address comes from the listener extension). */
function describeHost(describers: readonly (() => HostInfoFields)[]): Partial<Pick<HostInfo, 'listener' | 'relay' | 'hostId' | 'warnings' | 'remoteAccess'>> {
  const fields: Partial<Pick<HostInfo, 'listener' | 'relay' | 'hostId' | 'warnings' | 'remoteAccess'>> = {};
  const warnings: string[] = [];
  for (const d of describers) {
    const { warnings: w, ...rest } = d();
    Object.assign(fields, rest);
    if (w) warnings.push(...w);
  }
  if (warnings.length) fields.warnings = warnings;
  return fields;
}
