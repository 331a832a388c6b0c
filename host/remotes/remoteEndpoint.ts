/**
 * The Codex TUI as a controller (docs/remotes.md "The TUI endpoint"): a local app-server
 * endpoint, the host's own listener (host/listener: the same flags, auth rules, limits, health
 * paths and texts as `serve --listen`), whose every client is a `tui` client of this host's hub
 * bound to one remote's environment. So `codex --remote ws://127.0.0.1:PORT` drives the other
 * host through the end-to-end relay, and each TUI connection is its own session there.
 *
 * `/readyz` answers 200 only while the remote is connected (503 otherwise); `/healthz` always 200.
 */
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import type { Hub } from '../hub/hub.js';
import { listenerBannerLines } from '../listener/listenerBanner.js';
import { ListenerConfigError, parseListenerOptions, type RawListenerOptions } from '../listener/listenerOptions.js';
import { startWsListener, type WsListener } from '../listener/wsListener.js';
import { WsTransport } from '../transport/wsTransport.js';

export interface RemoteEndpoint {
  readonly url: string;
  readonly banner: string[];
  readonly warnings: readonly string[];
  dispose(): Promise<void>;
}

export interface RemoteEndpointOptions {
  readonly hub: Hub;
  readonly environmentId: string;
  /** The remote's name (banner title). */
  readonly name: string;
  readonly raw: RawListenerOptions;
  /** The remote is connected (`/readyz`). */
  readonly ready: () => boolean;
  readonly logger: Logger;
}

/** Validates the flags (upstream's texts, as `-32602`) and starts the endpoint. */
export async function startRemoteEndpoint(o: RemoteEndpointOptions): Promise<RemoteEndpoint> {
  let config;
  try {
    config = parseListenerOptions(o.raw);
  } catch (err) {
    if (err instanceof ListenerConfigError) throw new RpcError(RpcErrorCode.InvalidParams, `host/remotes/listen: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
    throw err;
  }
  for (const w of config.warnings) o.logger.warn(w);
  let listener: WsListener;
  try {
    listener = await startWsListener({
      config,
      maxPayloadBytes: o.hub.limits.maxMessageBytes,
      logger: o.logger,
      ready: o.ready,
      onConnection: (socket, info) => {
        o.hub.attach(new WsTransport(socket), { kind: 'tui', name: `remote client ${info.remoteAddress}` }, { adoptClientName: true, environmentId: o.environmentId });
      },
    });
  } catch (err) {
    throw new RpcError(RpcErrorCode.InvalidRequest, `host/remotes/listen: ${errorMessage(err)}`);
  }
  return {
    url: listener.url,
    banner: listenerBannerLines(listener.url, config, `codex-host: ${o.name} (environment ${o.environmentId}) for codex --remote`),
    warnings: config.warnings,
    dispose: () => listener.dispose(),
  };
}
