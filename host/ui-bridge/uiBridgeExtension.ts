/**
 * Plugs the browser bridge into the host as a `HostExtension` (host/app/hostApp.ts): once the
 * hub exists, the built renderer is loaded and served, and every authenticated window is
 * attached to the hub as a `desktop` client, the way the listener attaches TUIs.
 */
import type { HostExtension } from '../app/hostApp.js';
import { defaultUiDistDir, loadStaticSite } from './staticSite.js';
import { startUiBridge, type UiBridge } from './uiBridge.js';
import { newBridgeToken } from './uiBridgeSecurity.js';
import { DEFAULT_UI_LISTEN, type UiListenAddress } from './uiListenAddress.js';

export interface UiBridgeExtensionOptions {
  readonly listen?: UiListenAddress;
  /** The built renderer; default dist/renderer/desktop of this package. */
  readonly distDir?: string;
  /** Told the bridge's URL (with the token) once it listens, to print it for the person. */
  readonly onReady: (bridge: UiBridge) => void;
}

export function createUiBridgeExtension(o: UiBridgeExtensionOptions): HostExtension {
  return {
    name: 'the browser UI',
    async start({ hub, logger }) {
      const site = await loadStaticSite(o.distDir ?? defaultUiDistDir());
      const bridge = await startUiBridge({
        listen: o.listen ?? DEFAULT_UI_LISTEN,
        token: newBridgeToken(),
        site,
        maxPayloadBytes: hub.limits.maxMessageBytes,
        logger,
        onConnection: (transport, info) => {
          hub.attach(transport, { kind: 'desktop', name: `browser window (${info.remoteAddress})` });
        },
      });
      o.onReady(bridge);
      return bridge;
    },
  };
}
