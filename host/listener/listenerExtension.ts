/**
 * The remote-TUI listener as a host extension (docs/connections.md): it owns the
 * `ListenerControl` (flags or stored settings, run-time changes), attaches every authenticated
 * WebSocket to the hub as a `tui` client, answers the `listener` feature
 * (shared/protocol/features/listenerApi.ts) and announces `host/listener/changed` when the
 * listener or its client count changes. `createHost` reads the bound URL through the handle.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../shared/util/errors.js';
import { DisposableStore } from '../../shared/util/lifecycle.js';
import { HostStartError, type HostExtension } from '../app/hostApp.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import { writeFileAtomic } from '../storage/atomicFile.js';
import { WsTransport } from '../transport/wsTransport.js';
import { ListenerControl } from './listenerControl.js';
import type { ListenerConfig } from './listenerOptions.js';
import { loadListenerSettings, saveListenerSettings } from './listenerSettings.js';
import { startWsListener } from './wsListener.js';

export interface ListenerExtensionHandle {
  /** The bound listener URL, while one runs. */
  url(): string | undefined;
  /** The config it runs with, while it runs. */
  config(): ListenerConfig | undefined;
}

/** The listener extension; `flags` (validated `serve --listen …`) fix the listener when given. */
export function createListenerExtension(flags: ListenerConfig | undefined): { extension: HostExtension; handle: ListenerExtensionHandle } {
  let control: ListenerControl | undefined;
  const handle: ListenerExtensionHandle = { url: () => control?.url, config: () => control?.config };
  const extension: HostExtension = {
    name: 'listener',
    async start({ hub, dataDir, logger }) {
      const store = new DisposableStore(logger);
      try {
        const loaded = flags ? undefined : await loadListenerSettings(dataDir);
        if (loaded?.problem) logger.warn(loaded.problem);
        const notify = () => hub.notify('host/listener/changed', c.view());
        const c = new ListenerControl({
          dataDir,
          ...(flags ? { flags } : {}),
          settings: loaded?.settings ?? { enabled: false, listen: '', auth: 'none' },
          start: async (config) => {
            for (const w of config.warnings) logger.warn(w);
            return startWsListener({
              config,
              maxPayloadBytes: hub.limits.maxMessageBytes,
              logger: logger.child('listener'),
              onConnection: (socket, info) => {
                hub.attach(new WsTransport(socket), { kind: 'tui', name: `remote client ${info.remoteAddress}` }, { adoptClientName: true });
              },
            });
          },
          save: (s) => saveListenerSettings(dataDir, s),
          writeToken: async (file, token) => {
            await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
            await writeFileAtomic(file, token, 0o600);
          },
          clients: () => hub.clients().filter((x) => x.kind === 'tui').length,
          onChanged: notify,
          logger,
        });
        control = c;
        store.add(c);
        try {
          await c.boot();
        } catch (err) {
          throw new HostStartError(errorMessage(err));
        }
        store.add(
          hub.onClientsChanged(({ client }) => {
            if (client.kind === 'tui') notify();
          }),
        );
        const table: HostFeatureTable<'listener'> = {
          'host/listener/get': () => c.view(),
          'host/listener/set': ({ settings }) => c.set(settings),
          'host/listener/generateToken': () => c.generateToken(),
        };
        return {
          features: { listener: table },
          describe: () => {
            const warnings = [...(loaded?.problem ? [loaded.problem] : []), ...(c.problem ? [c.problem] : [])];
            return { ...(c.url ? { listener: c.url } : {}), ...(warnings.length ? { warnings } : {}) };
          },
          dispose: () => store.dispose(),
        };
      } catch (err) {
        await store.dispose();
        control = undefined;
        throw err;
      }
    },
  };
  return { extension, handle };
}
