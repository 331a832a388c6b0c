/**
 * The desktop app's main process end to end with a mocked `electron` (never the real one) and a
 * stand-in `createHost` around the real hub (in-memory engine): single-instance behaviour, the
 * privileged scheme before `ready`, the window and what it loads, what createHost is given
 * (safeStorage secrets, Electron keep-awake, remote access), the hub port handed to our page
 * only (and a reload closing the old client), focusing on a second launch, quit disposing the
 * host exactly once, a start failure shown in a dialog, and the log file.
 */
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateHostOptions } from '../../host/app/createHost.js';
import { createTestHub } from '../../host/hub/testing/hubTestKit.js';

interface FakeFrame {
  url: string;
}

class FakeWebContents extends EventEmitter {
  mainFrame: FakeFrame = { url: 'app://codex-host/index.html' };
  posted: { channel: string; message: unknown; ports: { node: MessagePort }[] }[] = [];
  openHandler: unknown;
  setWindowOpenHandler(h: unknown) {
    this.openHandler = h;
  }
  postMessage(channel: string, message: unknown, ports: { node: MessagePort }[]) {
    this.posted.push({ channel, message, ports });
  }
}

class FakeWindow extends EventEmitter {
  static instances: FakeWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string[] = [];
  calls: string[] = [];
  minimized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.loaded.push(url);
    return Promise.resolve();
  }
  isDestroyed = () => false;
  isMinimized = () => this.minimized;
  restore = () => this.calls.push('restore');
  show = () => this.calls.push('show');
  focus = () => this.calls.push('focus');
}

/** Node's MessagePort shaped like MessagePortMain. */
function mainPort(port: MessagePort) {
  return {
    node: port,
    on(event: string, l: (e?: unknown) => void) {
      if (event === 'message') port.on('message', (data: unknown) => l({ data }));
      else port.on('close', () => l());
      return this;
    },
    postMessage: (m: unknown) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  };
}

const h = vi.hoisted(() => ({ electron: undefined as unknown as Record<string, unknown>, createHost: undefined as unknown as (o: unknown) => Promise<unknown> }));
// The mock is made once per file; each test swaps the fake behind these getters.
vi.mock('electron', () => {
  const keys = ['app', 'BrowserWindow', 'dialog', 'ipcMain', 'MessageChannelMain', 'powerMonitor', 'powerSaveBlocker', 'protocol', 'safeStorage', 'session', 'shell'];
  return Object.defineProperties({}, Object.fromEntries(keys.map((k) => [k, { get: () => h.electron[k], enumerable: true }])));
});
vi.mock('../../host/app/createHost.js', () => ({ createHost: (o: unknown) => h.createHost(o) }));

let root: string;
let sequence: string[];
let app: FakeApp;
let hosts: { options: CreateHostOptions; hub: ReturnType<typeof createTestHub>['hub']; disposed: number }[];
let ipcMain: EventEmitter;
let channels: MessageChannel[];
let dialogs: [string, string][];

class FakeApp extends EventEmitter {
  lock = true;
  quits = 0;
  quitForReal = 0;
  exitCode: number | undefined;
  paths: Record<string, string> = {};
  name = '';
  requestSingleInstanceLock = () => this.lock;
  setName = (n: string) => void (this.name = n);
  setPath = (k: string, v: string) => void (this.paths[k] = v);
  getPath = (k: string) => this.paths[k] ?? join(root, k);
  getAppPath = () => root;
  getVersion = () => '0.1.0';
  isReady = () => true;
  isPackaged = true;
  whenReady = () => {
    sequence.push('whenReady');
    return Promise.resolve();
  };
  quit = () => {
    this.quits++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitForReal++;
  };
  exit = (code: number) => void (this.exitCode = code);
}

function fakeElectron() {
  app = new FakeApp();
  ipcMain = new EventEmitter();
  return {
    app,
    BrowserWindow: FakeWindow,
    dialog: { showErrorBox: (title: string, text: string) => dialogs.push([title, text]) },
    ipcMain,
    MessageChannelMain: class {
      port1: ReturnType<typeof mainPort>;
      port2: ReturnType<typeof mainPort>;
      constructor() {
        const c = new MessageChannel();
        channels.push(c);
        this.port1 = mainPort(c.port1);
        this.port2 = mainPort(c.port2);
      }
    },
    powerMonitor: { isOnBatteryPower: () => false, on: () => undefined, removeListener: () => undefined },
    powerSaveBlocker: { start: () => 1, stop: () => true, isStarted: () => true },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => sequence.push(`privileged ${JSON.stringify(s)}`),
      handle: (scheme: string) => sequence.push(`handle ${scheme}`),
    },
    safeStorage: { isAsyncEncryptionAvailable: () => Promise.resolve(true), encryptStringAsync: () => Promise.resolve(Buffer.alloc(0)), decryptStringAsync: () => Promise.resolve({ result: '', shouldReEncrypt: false }), getSelectedStorageBackend: () => 'gnome_libsecret' },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => sequence.push('csp header'), onBeforeRequest: () => undefined },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openExternal: () => Promise.resolve() },
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'desktop-app-'));
  await mkdir(join(root, 'logs'));
  sequence = [];
  hosts = [];
  channels = [];
  dialogs = [];
  FakeWindow.instances = [];
  h.electron = fakeElectron();
  h.createHost = async (o) => {
    const t = createTestHub();
    const entry = { options: o as CreateHostOptions, hub: t.hub, disposed: 0 };
    hosts.push(entry);
    return {
      hub: t.hub,
      dataDir: entry.options.dataDir,
      engine: { version: '0.171.0', bin: '/bin/codex' },
      listenerUrl: undefined,
      controlUrl: 'ws://127.0.0.1:1/control',
      info: () => t.hub.info(),
      dispose: async () => {
        entry.disposed++;
        t.hub.dispose();
      },
    };
  };
  vi.resetModules();
});

afterEach(async () => {
  for (const c of channels) {
    c.port1.close();
    c.port2.close();
  }
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  await rm(root, { recursive: true, force: true });
});

/** Loads index.ts the way Electron would start it. */
async function launch(argv: string[] = []): Promise<void> {
  process.argv.push(...argv);
  try {
    await import('./index.js');
  } finally {
    process.argv.splice(process.argv.length - argv.length, argv.length);
  }
  if (app.lock) await vi.waitFor(() => expect(hosts.length).toBe(1));
}

/** The page in the window asks for a hub port. */
function requestPort(win: FakeWindow, nonce = 'nonce-1234', frame: FakeFrame = win.webContents.mainFrame, sender: unknown = win.webContents) {
  ipcMain.emit('hub-port-request', { sender, senderFrame: frame }, nonce);
}

describe('the desktop app main process', () => {
  it('quits at once when another instance holds the lock', async () => {
    h.electron = fakeElectron();
    app.lock = false;
    await launch();
    expect(app.quits).toBe(1);
    expect(FakeWindow.instances).toEqual([]);
    expect(hosts).toEqual([]);
  });

  it('registers app:// before ready, opens one hardened window on it and starts the host with the Electron adapters', async () => {
    const old = process.env.CODEX_HOST_CODEX_BIN;
    process.env.CODEX_HOST_CODEX_BIN = process.execPath;
    try {
      await launch([`--data-dir=${join(root, 'data')}`]);
    } finally {
      if (old === undefined) delete process.env.CODEX_HOST_CODEX_BIN;
      else process.env.CODEX_HOST_CODEX_BIN = old;
    }
    expect(sequence.slice(0, 2)).toEqual([`privileged [{"scheme":"app","privileges":{"standard":true,"secure":true,"supportFetchAPI":true,"corsEnabled":true,"codeCache":true}}]`, 'whenReady']);
    expect(sequence).toContain('handle app');
    expect(sequence).toContain('csp header');
    expect(app.paths.userData).toBe(join(root, 'data', 'desktop'));
    expect(FakeWindow.instances).toHaveLength(1);
    const win = FakeWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(root, 'dist', 'electron', 'preload', 'preload.cjs') });
    expect(win.loaded).toEqual(['app://codex-host/index.html']);
    const o = hosts[0]!.options;
    expect(o.dataDir).toBe(join(root, 'data'));
    expect(o.codexBin).toBe(process.execPath);
    expect(o.remoteAccess).toEqual({ secretStore: 'auto' });
    // SSH hosts from ~/.ssh/config, as `codex-host serve` has them (createHost leaves them off without the option).
    expect(o.ssh).toEqual({});
    expect(o.power?.blocker.name).toBe('Electron powerSaveBlocker');
    expect(o.power?.source.onBattery).toBe(false);
    expect(typeof o.secretStores?.os).toBe('function');
    await vi.waitFor(async () => expect(await readFile(join(root, 'logs', 'codex-host.log'), 'utf8')).toContain('Codex Host desktop starting'));
  });

  it('hands our page a port that reaches the hub as a desktop client; a reload closes the old client', async () => {
    await launch();
    const win = FakeWindow.instances[0]!;
    const hub = hosts[0]!.hub;
    requestPort(win, 'first-nonce-1');
    await vi.waitFor(() => expect(win.webContents.posted).toHaveLength(1));
    const { channel, message, ports } = win.webContents.posted[0]!;
    expect([channel, message]).toEqual(['hub-port', { nonce: 'first-nonce-1' }]);
    const page = ports[0]!.node;
    const got: unknown[] = [];
    page.on('message', (m: unknown) => got.push(m));
    page.postMessage(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'host/info' }));
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect((JSON.parse(got[0] as string) as { result: { clients: { kind: string }[] } }).result.clients.map((c) => c.kind)).toEqual(['desktop']);

    win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'app://codex-host/index.html' });
    await vi.waitFor(() => expect(hub.clientCount).toBe(0));
    await vi.waitFor(() => expect(got.at(-1)).toEqual({ type: 'close', code: 1001, reason: 'the window reloaded' }));
    requestPort(win, 'second-nonce-2');
    await vi.waitFor(() => expect(win.webContents.posted).toHaveLength(2));
    await vi.waitFor(() => expect(hub.clientCount).toBe(1));
  });

  it('refuses port requests from anything but our window’s main frame showing the app', async () => {
    await launch();
    const win = FakeWindow.instances[0]!;
    requestPort(win, 'nonce-1234', { url: 'app://codex-host/index.html' }); // a subframe
    requestPort(win, 'nonce-1234', win.webContents.mainFrame, new FakeWebContents()); // another web contents
    win.webContents.mainFrame.url = 'https://evil.example/';
    requestPort(win);
    win.webContents.mainFrame.url = 'app://codex-host/index.html';
    requestPort(win, 'bad nonce!');
    requestPort(win, 'x');
    await new Promise((r) => setTimeout(r, 50));
    expect(win.webContents.posted).toEqual([]);
    expect(hosts[0]!.hub.clientCount).toBe(0);
  });

  it('focuses the window when the app is launched again', async () => {
    await launch();
    const win = FakeWindow.instances[0]!;
    win.minimized = true;
    app.emit('second-instance');
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(FakeWindow.instances).toHaveLength(1);
  });

  it('stops the host exactly once on quit, ignoring a second quit while it stops', async () => {
    await launch();
    app.quit();
    app.quit();
    await vi.waitFor(() => expect(app.quitForReal).toBe(1));
    expect(hosts[0]!.disposed).toBe(1);
    expect(app.quits).toBe(3); // ours twice, then the controller's own after dispose
    await vi.waitFor(async () => expect(await readFile(join(root, 'logs', 'codex-host.log'), 'utf8')).toContain('host stopped'));
  });

  it('shows why the host did not start and exits', async () => {
    h.createHost = () => Promise.reject(new Error('the data dir /x is used by another running host (pid 42)'));
    await import('./index.js');
    await vi.waitFor(() => expect(app.exitCode).toBe(1));
    expect(dialogs).toEqual([['Codex Host could not start', expect.stringMatching(/^the data dir \/x is used by another running host \(pid 42\)\n\nThe log is in .*codex-host\.log\.$/)]]);
  });
});
