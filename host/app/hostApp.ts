/**
 * The headless host's composition root (docs/architecture.md "Processes"): data dir → engine
 * (found, version-checked, supervised) → hub → remote-TUI listener → local control endpoint.
 * The Electron main process builds the same pieces; everything here runs under plain Node.
 * Each step fails with one clear sentence, and a failure part-way stops what already started.
 */
import os from 'node:os';
import path from 'node:path';
import { toDisplayName } from '../../shared/protocol/displayName.js';
import type { Logger } from '../../shared/util/logger.js';
import { FileAuditLog } from '../audit/auditLog.js';
import { connectControl, HostNotRunningError } from '../control/controlClient.js';
import { startControlEndpoint, type ControlEndpoint } from '../control/controlEndpoint.js';
import { checkCodexVersion } from '../engine/checkCodexVersion.js';
import { EngineSupervisor } from '../engine/engineSupervisor.js';
import { findCodexBinary } from '../engine/findCodexBinary.js';
import { SupervisedEnginePort } from '../engine/supervisedEnginePort.js';
import { Hub, type HostInfoDescriber } from '../hub/hub.js';
import type { HostFeatureTables } from '../hub/hostFeatures.js';
import type { ListenerConfig } from '../listener/listenerOptions.js';
import { startWsListener, type WsListener } from '../listener/wsListener.js';
import { ensureDataDir } from '../storage/dataDir.js';
import { WsTransport } from '../transport/wsTransport.js';
import { HOST_VERSION } from '../version.js';
import { errorMessage } from '../../shared/util/errors.js';

export class HostStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostStartError';
  }
}

export interface HostAppOptions {
  readonly dataDir: string;
  readonly codexBin?: string;
  readonly listener?: ListenerConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly hostName?: string;
  /** Working directory of the engine process (default: the host's cwd). */
  readonly engineCwd?: string;
  /** Progress lines for the person starting the host ("starting the engine…"). */
  readonly progress?: (line: string) => void;
  /**
   * Features built on the hub (remote access) plug in here: called once the hub exists; may
   * return complete host feature tables, host/info fields and a stop function.
   */
  readonly extensions?: readonly HostExtension[];
}

export interface HostExtension {
  readonly name: string;
  start(ctx: { hub: Hub; dataDir: string; logger: Logger; hostName: string }): Promise<{
    features?: HostFeatureTables;
    describe?: HostInfoDescriber;
    stop(): Promise<void>;
  }>;
}

export interface RunningHost {
  readonly hub: Hub;
  readonly dataDir: string;
  readonly engineVersion: string;
  readonly engineBin: string;
  readonly listener: WsListener | undefined;
  readonly controlUrl: string;
  stop(): Promise<void>;
}

export async function startHost(o: HostAppOptions): Promise<RunningHost> {
  const log = o.logger;
  const progress = o.progress ?? (() => {});
  const dataDir = await ensureDataDir(o.dataDir);

  await refuseSecondHost(dataDir);

  let bin;
  try {
    bin = findCodexBinary({ override: o.codexBin, env: o.env });
  } catch (err) {
    throw new HostStartError(errorMessage(err));
  }
  const version = await checkCodexVersion(bin.path).catch((err: Error) => {
    throw new HostStartError(err.message);
  });
  const engineVersion = version.text;

  const stack: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const stop of stack.reverse()) await stop().catch((err: Error) => log.warn('stop step failed', { error: err.message }));
  };

  try {
    progress(`starting the engine (codex ${engineVersion}, ${bin.path})…`);
    const supervisor = new EngineSupervisor({ bin: bin.path, env: o.env, cwd: o.engineCwd, logger: log });
    stack.push(() => supervisor.stop());
    await supervisor.start().catch((err: Error) => {
      throw new HostStartError(`the engine did not start: ${err.message}`);
    });

    // The name goes into pairing links and welcome records, which only take clean display names.
    const hostName = toDisplayName(o.hostName ?? os.hostname(), 'Codex Host');
    const describers: HostInfoDescriber[] = [];
    let listener: WsListener | undefined;
    const hub = new Hub({
      engine: new SupervisedEnginePort(supervisor, engineVersion),
      audit: new FileAuditLog(path.join(dataDir, 'audit.jsonl')),
      logger: log.child('hub'),
      hostVersion: HOST_VERSION,
      hostName,
      describe: () => Object.assign({}, ...describers.map((d) => d()), listener ? { listener: listener.url } : {}),
    });
    stack.push(async () => hub.stop());

    for (const ext of o.extensions ?? []) {
      progress(`starting ${ext.name}…`);
      const started = await ext.start({ hub, dataDir, logger: log.child(ext.name), hostName });
      if (started.describe) describers.push(started.describe);
      stack.push(() => started.stop());
      // Unwound first: the feature is off before the extension stops.
      if (started.features) {
        const features = hub.registerFeatures(started.features);
        stack.push(async () => features.dispose());
      }
    }

    if (o.listener) {
      for (const w of o.listener.warnings) log.warn(w);
      listener = await startWsListener({
        config: o.listener,
        maxPayloadBytes: hub.limits.maxMessageBytes,
        logger: log.child('listener'),
        onConnection: (socket, info) => {
          hub.attach(new WsTransport(socket), { kind: 'tui', name: `remote client ${info.remoteAddress}` }, { adoptClientName: true });
        },
      }).catch((err: Error) => {
        throw new HostStartError(err.message);
      });
      const l = listener;
      stack.push(() => l.close());
    }

    const control: ControlEndpoint = await startControlEndpoint({ dataDir, hub, logger: log, version: HOST_VERSION });
    stack.push(() => control.stop());

    let stopped: Promise<void> | undefined;
    return {
      hub,
      dataDir,
      engineVersion,
      engineBin: bin.path,
      listener,
      controlUrl: control.url,
      stop: () => (stopped ??= unwind()),
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}

async function refuseSecondHost(dataDir: string): Promise<void> {
  try {
    const conn = await connectControl(dataDir, { timeoutMs: 2000 });
    conn.close(1000, 'probe');
    throw new HostStartError(`codex-host is already running with data dir ${dataDir}; stop it first or choose another --data-dir`);
  } catch (err) {
    if (err instanceof HostNotRunningError) return;
    throw err;
  }
}
