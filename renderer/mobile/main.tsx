/**
 * The phone web client's entry (docs/mobile.md), served by the relay at `/` and `/pair`.
 * Start: take a pairing link out of the address bar (its secret must not stay in history or be
 * bookmarked), open IndexedDB, load or make the device key, pick the AEAD (WebCrypto in a
 * secure context, else noble), connect every paired host, and register the app-shell service
 * worker. Nothing here reaches a host except through shared/controller over the relay.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../common/styles/common.css';
import './mobile.css';
import { errorMessage } from '../../shared/util/errors';
import { perfMark } from '../common/util/perfMark';
import { App } from './App';
import { PhoneHosts } from './phone/phoneHosts';
import { applyTheme, themeStore } from './phone/theme';
import { detectCryptoSupport } from './platform/cryptoSupport';
import { deviceInfoOf } from './platform/deviceInfo';
import { loadDeviceKey } from './platform/deviceKey';
import { followNotificationLinks } from './platform/notificationLinks';
import { renewPush } from './platform/webPush';
import { memoryStore, openIndexedDbStore, type KeyValueStore } from './platform/kvStore';
import { PhoneEnvProvider, type PhoneEnv } from './phoneContext';

perfMark('codexPhone:boot');
applyTheme(themeStore.getState().theme);
const root = createRoot(document.getElementById('root')!);

function takePairLink(): string | undefined {
  if (location.pathname !== '/pair' || !location.hash.startsWith('#p=')) return undefined;
  const link = location.href;
  history.replaceState('root', '', '/#/');
  return link;
}

async function boot(): Promise<void> {
  // Before any await: the browser starts handing the page its workers' messages at
  // DOMContentLoaded, listener or not, so a notification tapped while the app starts would be lost.
  if ('serviceWorker' in navigator) followNotificationLinks(navigator.serviceWorker);
  const pairLink = takePairLink();
  if (location.pathname !== '/') history.replaceState('root', '', `/${location.hash}`);
  else history.replaceState('root', '', location.href);
  let kv: KeyValueStore;
  let storageProblem: string | undefined;
  try {
    kv = await openIndexedDbStore();
    perfMark('codexPhone:storage');
  } catch (err) {
    kv = memoryStore();
    storageProblem = `This browser does not let the app store anything (${errorMessage(err)}), so it forgets paired computers when the page closes. Private browsing does this.`;
  }
  const [device, crypto] = await Promise.all([loadDeviceKey(kv), detectCryptoSupport()]);
  perfMark('codexPhone:deviceKey');
  const info = deviceInfoOf(navigator.userAgent);
  const hosts = new PhoneHosts(kv, {
    device: { signer: device.signer, name: info.name, platform: info.platform, kind: 'phone' },
    aead: crypto.aead,
    webSocket: (url) => new WebSocket(url),
    // Subscriptions get renewed by the browser; the host learns the current one on every connect.
    onConnected: (runtime) => {
      if (hosts.record(runtime.hostId)?.notifications) void renewPush(runtime.hostId, runtime.model.session).catch(() => undefined);
    },
  });
  const env: PhoneEnv = { hosts, crypto, deviceKeyKind: device.kind, deviceName: info.name, ...(storageProblem ? { storageProblem } : {}) };
  // Tests and the "kill the socket" drill in docs/mobile.md reach the sessions here.
  (window as unknown as { __codexPhone?: unknown }).__codexPhone = {
    dropConnections: () => {
      for (const h of hosts.state.getState().hosts) hosts.runtime(h.trusted.hostId)?.model.session.dropConnection();
    },
  };
  root.render(
    <StrictMode>
      <PhoneEnvProvider value={env}>
        <App initialPairLink={pairLink} />
      </PhoneEnvProvider>
    </StrictMode>,
  );
  await hosts.load();
  window.addEventListener('online', () => hosts.reconnectWaiting());
  if ('serviceWorker' in navigator && globalThis.isSecureContext) void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}

boot().catch((err: unknown) => {
  root.render(
    <div className="full-state is-danger" style={{ marginTop: 80 }}>
      <h2 className="full-state-title">The app could not start</h2>
      <div className="full-state-body">{errorMessage(err)}</div>
    </div>,
  );
});
