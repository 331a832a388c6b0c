/**
 * The desktop renderer's entry in a browser (`codex-host serve --ui`). The page's URL carries
 * the bridge token in its fragment (`#token=…`, never sent to any server); it is moved to
 * sessionStorage (this tab only, so a reload still works) and removed from the address bar.
 * Everything else talks to the host through one `HostSession` over the bridge socket. In the
 * desktop app the same session runs over the MessagePort the preload hands over (no token).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../common/styles/common.css';
import './desktop.css';
import { HostModel } from '../common/host/hostModel';
import { HostProvider } from '../common/host/HostProvider';
import { HostSession } from '../common/host/hostSession';
import { App } from './App';
import { bridgeUrlForPage, finalBridgeClose, openBridgeTransport } from './bridgeTransport';
import { desktopApp, getElectronTransport } from './electronBoot';
import { BlockedScreen } from './ConnectionBanner';
import { UiProvider } from './uiContext';
import { applyTheme, createUiStore } from './uiStore';

const TOKEN_KEY = 'codexHost.bridgeToken';

/** The bridge token: from the fragment (then hidden from the address bar), else from this tab's storage. */
function takeToken(): string | undefined {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]{16,256})(?:&|$)/.exec(location.hash);
  if (m) {
    try {
      sessionStorage.setItem(TOKEN_KEY, m[1]!);
    } catch {
      // private mode: the token lives in memory only; a reload needs the printed URL again
    }
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return m[1];
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

const ui = createUiStore();
applyTheme(ui.getState().theme);
const root = createRoot(document.getElementById('root')!);
const electron = desktopApp() !== undefined;
const token = electron ? undefined : takeToken();

if (!electron && !token) {
  root.render(
    <StrictMode>
      <BlockedScreen title="Open the link from the terminal">
        <p>
          This page needs the address that <code>codex-host serve --ui</code> printed, including the part after <code>#</code>. It holds a one-time key
          that lets this window control the host.
        </p>
      </BlockedScreen>
    </StrictMode>,
  );
} else {
  const url = bridgeUrlForPage(location);
  const session = new HostSession({
    connect: electron ? () => getElectronTransport()! : () => openBridgeTransport(url, token!),
    clientInfo: { name: 'codex_host_desktop', title: 'Codex Host', version: '0.1.0' },
    ...(electron ? {} : { finalClose: finalBridgeClose }),
  });
  const model = new HostModel(session);
  // Tests and the "kill the socket" drill in docs/renderer.md reach the session here.
  (window as unknown as { __codexHost?: unknown }).__codexHost = { dropConnection: () => session.dropConnection() };
  root.render(
    <StrictMode>
      <UiProvider store={ui}>
        <HostProvider model={model}>
          <App />
        </HostProvider>
      </UiProvider>
    </StrictMode>,
  );
  session.start();
  window.addEventListener('pagehide', () => model.dispose());
}
