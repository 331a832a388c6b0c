/**
 * The desktop app's composition root (docs/desktop.md; style.md G8): Electron's lifecycle around
 * the one host composition, `createHost`. In order:
 *
 * 1. one instance per user (a second launch focuses the first window and exits);
 * 2. the `app://` scheme registered as privileged, Chromium's profile put in the data dir;
 * 3. on `ready`: the log file, the app protocol and the session guards, the window (it shows
 *    "connecting" while the engine starts), and `createHost` with Electron's adapters (safeStorage
 *    secrets, powerSaveBlocker/powerMonitor keep-awake) and remote access on;
 * 4. the page asks for a hub port (`hub-port-request`, sender checked): main attaches a fresh
 *    MessageChannelMain end to the hub as a `desktop` client and posts the other end back;
 * 5. quit: `before-quit` is held until `host.dispose()` finished (QuitController).
 *
 * Electron comes in as an argument (`ElectronModules`, checked against the real module by tsc in
 * index.ts) so the unit tests run it with a mocked `electron`, never the real one.
 */
import type * as Electron from 'electron';
import type { CreateHostOptions, HostHandle } from '../../host/app/createHost.js';
import { IPC_PORT_CHANNEL, IPC_PORT_REQUEST, PortNonceSchema } from '../../shared/protocol/desktopPort.js';
import { errorMessage } from '../../shared/util/errors.js';
import { silentLogger, type Logger } from '../../shared/util/logger.js';
import { ElectronPowerSaveBlocker, ElectronPowerSource } from './adapters/powerSaveBlocker.js';
import { safeStorageSecretStores } from './adapters/safeStorageSecretStore.js';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './appProtocol.js';
import { desktopCodexBinary, desktopPaths, desktopState } from './desktopPaths.js';
import { createFileLogger, type FileLogger } from './fileLogger.js';
import { HubBridge, type CreateChannel } from './hubBridge.js';
import { createMainWindow, focusWindow, hardenSession } from './mainWindow.js';
import { QuitController } from './quitController.js';
import { APP_ENTRY_URL, isAppUrl } from './windowSecurity.js';

/** The parts of the `electron` module the app uses. */
export type ElectronModules = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'MessageChannelMain' | 'powerMonitor' | 'powerSaveBlocker' | 'protocol' | 'safeStorage' | 'session' | 'shell'
>;

export interface DesktopAppDeps {
  readonly createHost: (options: CreateHostOptions) => Promise<HostHandle>;
  readonly argv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  /** Lines mirrored to the terminal (unpackaged runs). */
  readonly mirror?: (line: string) => void;
}

/** What the running app holds (the tests look inside). */
export interface DesktopApp {
  readonly ready: Promise<void>;
  readonly quit: QuitController | undefined;
  host(): HostHandle | undefined;
  window(): Electron.BrowserWindow | undefined;
  bridge(): HubBridge<Electron.MessagePortMain> | undefined;
}

export function runDesktopApp(electron: ElectronModules, deps: DesktopAppDeps): DesktopApp {
  const { app } = electron;
  const argv = deps.argv ?? process.argv;
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;

  if (!app.requestSingleInstanceLock()) {
    // Another instance runs for this user: it focuses its window (second-instance); we leave.
    app.quit();
    return { ready: Promise.resolve(), quit: undefined, host: () => undefined, window: () => undefined, bridge: () => undefined };
  }

  const state = desktopState(argv, platform, env);
  app.setName('Codex Host');
  app.setPath('userData', state.userData);
  electron.protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);

  let log: FileLogger | undefined;
  // Lines go nowhere until the log file is open (on `ready`); every component holds this proxy.
  let sink: Logger = silentLogger;
  const logger: Logger = {
    debug: (m, f) => sink.debug(m, f),
    info: (m, f) => sink.info(m, f),
    warn: (m, f) => sink.warn(m, f),
    error: (m, f) => sink.error(m, f),
    child: (c) => sink.child(c),
  };
  let host: HostHandle | undefined;
  let hostStarting: Promise<HostHandle | undefined> | undefined;
  let win: Electron.BrowserWindow | undefined;
  let bridge: HubBridge<Electron.MessagePortMain> | undefined;
  let stopping = false;
  const paths = desktopPaths(app.getAppPath());

  const quit = new QuitController({
    app,
    logger,
    dispose: async () => {
      stopping = true;
      bridge?.dispose();
      const h = host ?? (await hostStarting);
      await h?.dispose();
      logger.info('host stopped');
      await log?.close();
    },
  });

  const createChannel: CreateChannel<Electron.MessagePortMain> = () => new electron.MessageChannelMain();

  function openWindow(): Electron.BrowserWindow {
    const w = createMainWindow({ BrowserWindow: electron.BrowserWindow, openExternal: (url) => electron.shell.openExternal(url), preloadPath: paths.preloadPath, iconPath: paths.iconPath, logger });
    const b = new HubBridge({ createChannel, attach: (t) => host?.hub.attach(t, { kind: 'desktop', name: 'Codex Host window' }), logger });
    win = w;
    bridge = b;
    w.webContents.on('did-start-navigation', (details) => {
      // A reload or navigation: the page that owned the port is gone.
      if (details.isMainFrame && !details.isSameDocument) b.close(1001, 'the window reloaded');
    });
    w.webContents.on('render-process-gone', (_event, details) => {
      logger.error('the window crashed', { reason: details.reason });
      b.close(1011, 'the window crashed');
    });
    w.on('closed', () => {
      b.dispose();
      if (win === w) {
        win = undefined;
        bridge = undefined;
      }
    });
    void w.loadURL(APP_ENTRY_URL).catch((err: unknown) => logger.error('the window could not load the app', { error: errorMessage(err) }));
    return w;
  }

  /** The page asks for a hub port: only our window's main frame, showing our app. */
  function onPortRequest(event: Electron.IpcMainEvent, nonceValue: unknown): void {
    const w = win;
    const frame = event.senderFrame;
    if (!w || event.sender !== w.webContents || !frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url)) {
      logger.warn('a hub port request from an unknown sender was refused', { url: frame?.url.slice(0, 200) });
      return;
    }
    const nonce = PortNonceSchema.safeParse(nonceValue);
    if (!nonce.success) {
      logger.warn('a hub port request with a malformed nonce was refused');
      return;
    }
    void (async () => {
      const h = host ?? (await hostStarting);
      const b = bridge;
      if (!h || !b || stopping || win !== w || w.isDestroyed()) return;
      const port = b.open();
      event.sender.postMessage(IPC_PORT_CHANNEL, { nonce: nonce.data }, [port]);
    })();
  }

  async function start(): Promise<void> {
    log = createFileLogger({ dir: app.getPath('logs'), mirror: deps.mirror });
    sink = log.logger;
    logger.info('Codex Host desktop starting', { version: app.getVersion(), electron: process.versions.electron, dataDir: state.dataDir, log: log.file });
    registerAppProtocol(electron.protocol, paths.rendererDir, logger);
    hardenSession(electron.session.defaultSession, logger);
    electron.ipcMain.on(IPC_PORT_REQUEST, onPortRequest);
    openWindow();

    const source = new ElectronPowerSource(electron.powerMonitor);
    hostStarting = (async () => {
      try {
        return await deps.createHost({
          dataDir: state.dataDir,
          env,
          logger,
          codexBin: desktopCodexBinary(env),
          remoteAccess: { secretStore: 'auto' },
          secretStores: safeStorageSecretStores({ safeStorage: electron.safeStorage, platform }),
          power: { blocker: new ElectronPowerSaveBlocker(electron.powerSaveBlocker), source },
          // SSH hosts from ~/.ssh/config, as `codex-host serve` has them (off only when the option is absent).
          ssh: {},
          progress: (line) => logger.info(line),
        });
      } catch (err) {
        source.dispose(); // the host never took it over
        const message = errorMessage(err);
        logger.error('the host did not start', { error: message });
        if (!stopping) {
          electron.dialog.showErrorBox('Codex Host could not start', `${message}\n\nThe log is in ${log?.file ?? app.getPath('logs')}.`);
          stopping = true;
          app.exit(1);
        }
        return undefined;
      }
    })();
    host = await hostStarting;
    if (host) logger.info('host running', { controlUrl: host.controlUrl, engine: host.engine.version });
  }

  app.on('second-instance', () => {
    if (win) focusWindow(win);
    else if (app.isReady() && !stopping) openWindow();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the Dock without windows (the host keeps serving); elsewhere, quit.
    if (platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!win && app.isReady() && !stopping) openWindow();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => app.quit());

  const ready = app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // Something before the host failed (the log dir, the protocol): say it, then leave.
      logger.error('the desktop app did not start', { error: errorMessage(err) });
      electron.dialog.showErrorBox('Codex Host could not start', errorMessage(err));
      stopping = true;
      app.exit(1);
    });
  return { ready, quit, host: () => host, window: () => win, bridge: () => bridge };
}
