/**
 * `codex-host serve`: validates the flags, calls `createHost` (the composition the Electron
 * main shares) and keeps the host running until SIGINT/SIGTERM/SIGHUP, then disposes it.
 */
import path from 'node:path';
import { createLineLogger, type LogLevel } from '../../shared/util/logger.js';
import { createHost, type HostHandle, type RemoteAccessConfig } from '../app/createHost.js';
import { HostStartError } from '../app/hostApp.js';
import { ListenerConfigError, parseListenerOptions, type ListenerConfig, type RawListenerOptions } from '../listener/listenerOptions.js';
import { listenerBannerLines } from '../listener/listenerBanner.js';
import type { SecretStoreChoice } from '../identity/secretStore.js';
import { HOST_VERSION } from '../version.js';
import { CliError } from './cliError.js';
import { displayNameProblem } from '../../shared/protocol/displayName.js';
import { errorMessage } from '../../shared/util/errors.js';
import { uiBridgeFromFlags } from '../ui-bridge/uiBridgeFlags.js';
import { vapidSubjectProblem } from '../push/vapidSubject.js';

/** commander's camelCased `serve` flags; the listener ones are exactly `RawListenerOptions`. */
export interface ServeFlags extends RawListenerOptions {
  dataDir: string;
  codexBin?: string;
  relay?: string;
  relayListen?: string;
  remote?: boolean;
  ssh?: boolean;
  sshConfig?: string;
  name?: string;
  secretStore?: string;
  logLevel?: string;
  ui?: boolean;
  uiListen?: string;
  pushSubject?: string;
  relayTlsCert?: string;
  relayTlsKey?: string;
}

const LEVELS = ['debug', 'info', 'warn', 'error'];

export async function serveCommand(flags: ServeFlags, out: (s: string) => void): Promise<void> {
  if (flags.logLevel && !LEVELS.includes(flags.logLevel)) throw new CliError(`--log-level must be one of ${LEVELS.join(', ')}`, 2);
  if (flags.secretStore && !['auto', 'keyring', 'file'].includes(flags.secretStore)) throw new CliError('--secret-store must be one of auto, keyring, file', 2);
  if (flags.name !== undefined) {
    const problem = displayNameProblem(flags.name);
    if (problem) throw new CliError(`--name ${problem}`, 2);
  }
  const logger = createLineLogger((line) => process.stderr.write(`${line}\n`), (flags.logLevel ?? 'info') as LogLevel);

  let listener: ListenerConfig | undefined;
  const wsFlagsGiven = [flags.wsAuth, flags.wsTokenFile, flags.wsTokenSha256, flags.wsSharedSecretFile, flags.wsIssuer, flags.wsAudience, flags.wsMaxClockSkewSeconds].some((v) => v !== undefined);
  if (flags.listen || wsFlagsGiven) {
    if (!flags.listen) throw new CliError('websocket auth flags require --listen ws://IP:PORT', 2);
    try {
      const { listen, wsAuth, wsTokenFile, wsTokenSha256, wsSharedSecretFile, wsIssuer, wsAudience, wsMaxClockSkewSeconds, allowUnauthenticatedNonLoopbackWs } = flags;
      listener = parseListenerOptions({ listen, wsAuth, wsTokenFile, wsTokenSha256, wsSharedSecretFile, wsIssuer, wsAudience, wsMaxClockSkewSeconds, allowUnauthenticatedNonLoopbackWs });
    } catch (err) {
      if (err instanceof ListenerConfigError) throw new CliError(err.hint ? `${err.message}\n${err.hint}` : err.message, 2);
      throw err;
    }
  }

  if (flags.pushSubject !== undefined) {
    const problem = vapidSubjectProblem(flags.pushSubject);
    if (problem) throw new CliError(`--push-subject: ${problem}`, 2);
  }
  if ((flags.relayTlsCert === undefined) !== (flags.relayTlsKey === undefined)) throw new CliError('--relay-tls-cert and --relay-tls-key go together', 2);
  if (flags.relayTlsCert !== undefined && flags.relay) throw new CliError('--relay-tls-cert is for the embedded relay; an external --relay does its own TLS', 2);
  let remoteAccess: RemoteAccessConfig | undefined;
  if (flags.remote !== false) {
    remoteAccess = {
      relayUrl: flags.relay,
      relayListen: flags.relayListen,
      secretStore: (flags.secretStore ?? 'auto') as SecretStoreChoice,
      ...(flags.pushSubject !== undefined ? { pushSubject: flags.pushSubject } : {}),
      ...(flags.relayTlsCert && flags.relayTlsKey ? { relayTls: { certFile: flags.relayTlsCert, keyFile: flags.relayTlsKey } } : {}),
    };
  } else if (flags.relay || flags.relayListen || flags.pushSubject !== undefined || flags.relayTlsCert) {
    throw new CliError('--relay, --relay-listen, --relay-tls-cert and --push-subject cannot be combined with --no-remote', 2);
  }

  const ui = uiBridgeFromFlags(flags);
  if (flags.ssh === false && flags.sshConfig) throw new CliError('--ssh-config cannot be combined with --no-ssh', 2);
  const ssh = flags.ssh === false ? undefined : { ...(flags.sshConfig ? { configFile: path.resolve(flags.sshConfig) } : {}) };

  // Signals are handled from the first moment: Ctrl+C while the engine is still starting (or a
  // closed terminal, SIGHUP) must not leave `codex app-server` running in its own process group.
  let stopRequested: NodeJS.Signals | undefined;
  let onStopRequested: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopRequested) {
      logger.warn(`${sig} again: exiting now`);
      // process.exit runs the engine supervisor's exit hook, which kills the engine.
      process.exit(130);
    }
    stopRequested = sig;
    logger.info(`${sig}: stopping (waiting for the engine to drain; press Ctrl+C again to force)`);
    onStopRequested?.();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.on(sig, onSignal);

  let host: HostHandle;
  try {
    host = await createHost({
      dataDir: flags.dataDir,
      codexBin: flags.codexBin,
      listener,
      remoteAccess,
      ssh,
      env: process.env,
      logger,
      hostName: flags.name,
      progress: (line) => logger.info(line),
      ...(ui ? { extensions: [ui.extension] } : {}),
    });
  } catch (err) {
    for (const sig of signals) process.off(sig, onSignal);
    if (err instanceof HostStartError) throw new CliError(err.message);
    throw err;
  }

  if (!stopRequested) {
    const info = host.info();
    out(`Codex Host ${HOST_VERSION} is running on ${info.hostName}`);
    out(`  engine:   codex ${host.engine.version} (${host.engine.bin})`);
    // Flags win; without them the listener and remote access follow Settings > Connections.
    const listening = host.listenerConfig;
    if (host.listenerUrl && listening) for (const l of listenerBannerLines(host.listenerUrl, listening, listener ? 'listener' : 'listener (from Settings > Connections)')) out(`  ${l}`);
    if (info.relay) out(`  relay:    ${info.relay}`);
    if (info.remoteAccess?.enabled === false) out('  remote:   off (Allow other devices to connect is off in Settings > Connections)');
    if (info.hostId) out(`  host id:  ${info.hostId}`);
    out(`  data dir: ${host.dataDir}`);
    for (const w of info.warnings ?? []) out(`  warning:  ${w}`);
    for (const l of ui?.bannerLines() ?? []) out(l);
    out(`Pair a phone with \`codex-host pair\`; check with \`codex-host status\`. Press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => (onStopRequested = resolve));
  }
  await host.dispose().catch((err: unknown) => logger.error('stop failed', { error: errorMessage(err) }));
  for (const sig of signals) process.off(sig, onSignal);
  out('Codex Host stopped.');
}
