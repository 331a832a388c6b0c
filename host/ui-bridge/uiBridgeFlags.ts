/**
 * `serve --ui [--ui-listen IP:PORT]` → the bridge extension and the lines `serve` prints
 * about it. Kept here so the serve command only passes its flags through.
 */
import { CliError } from '../cli/cliError.js';
import type { HostExtension } from '../app/hostApp.js';
import type { UiBridge } from './uiBridge.js';
import { createUiBridgeExtension } from './uiBridgeExtension.js';
import { parseUiListen, UiListenError, type UiListenAddress } from './uiListenAddress.js';

export interface UiBridgeFromFlags {
  readonly extension: HostExtension;
  /** What `serve` prints once the host runs: the URL to open (with its token) and how to reach it over SSH. */
  bannerLines(): string[];
}

export function uiBridgeFromFlags(flags: { ui?: boolean; uiListen?: string }): UiBridgeFromFlags | undefined {
  if (!flags.ui && flags.uiListen === undefined) return undefined;
  let listen: UiListenAddress | undefined;
  if (flags.uiListen !== undefined) {
    try {
      listen = parseUiListen(flags.uiListen);
    } catch (err) {
      if (err instanceof UiListenError) throw new CliError(err.message, 2);
      throw err;
    }
  }
  let bridge: UiBridge | undefined;
  return {
    extension: createUiBridgeExtension({ listen, onReady: (b) => (bridge = b) }),
    bannerLines() {
      if (!bridge) return [];
      return [
        `  ui:       ${bridge.url}`,
        `            open it in a browser on this computer; from another one: ssh -L ${bridge.port}:127.0.0.1:${bridge.port} <this host>, then open the same address there`,
        `            the part after # is the key to this host: do not share it`,
      ];
    },
  };
}
