/**
 * The preload (preload.cts) loaded the way Electron runs it, with `electron` mocked (fake
 * contextBridge and ipcRenderer) and a fake window: it exposes `codexHost = { platform }` and
 * nothing else, forwards the page's port requests to main and main's ports to the page (only to
 * our own origin), and ignores messages from frames, other origins and malformed requests.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_PORT_CHANNEL, IPC_PORT_REQUEST, PAGE_PORT, PAGE_PORT_REQUEST } from '../../shared/protocol/desktopPort.js';

const exposed: Record<string, unknown> = {};
const sent: unknown[][] = [];
const ipcListeners = new Map<string, (event: { ports: unknown[] }, ...args: unknown[]) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    send: (channel: string, ...args: unknown[]) => sent.push([channel, ...args]),
    on: (channel: string, l: (event: { ports: unknown[] }, ...args: unknown[]) => void) => ipcListeners.set(channel, l),
  },
}));

/** The page's window as the preload sees it. */
const pageListeners: ((e: unknown) => void)[] = [];
const posted: { message: unknown; origin: string; transfer?: unknown[] }[] = [];
const fakeWindow = {
  location: { origin: 'app://codex-host' },
  addEventListener: (type: string, l: (e: unknown) => void) => void (type === 'message' && pageListeners.push(l)),
  postMessage: (message: unknown, origin: string, transfer?: unknown[]) => void posted.push({ message, origin, transfer }),
};
const fromPage = (data: unknown, over: Partial<{ source: unknown; origin: string }> = {}) => {
  for (const l of pageListeners) l({ source: fakeWindow, origin: 'app://codex-host', data, ports: [], ...over });
};

beforeAll(async () => {
  vi.stubGlobal('window', fakeWindow);
  await import('./preload.cjs');
});

describe('the preload', () => {
  it('exposes exactly the platform to the page', () => {
    expect(Object.keys(exposed)).toEqual(['codexHost']);
    expect(exposed.codexHost).toEqual({ platform: process.platform });
    expect(Object.isFrozen(exposed.codexHost)).toBe(true);
  });

  it('uses the channel and message names the main process and the renderer use', () => {
    expect([...ipcListeners.keys()]).toEqual([IPC_PORT_CHANNEL]);
    fromPage({ type: PAGE_PORT_REQUEST, nonce: 'abcdefgh1234' });
    expect(sent.at(-1)).toEqual([IPC_PORT_REQUEST, 'abcdefgh1234']);
  });

  it('hands the port main sent to the page, to our own origin only, with the nonce', () => {
    const port = { fake: 'port' };
    ipcListeners.get(IPC_PORT_CHANNEL)!({ ports: [port] }, { nonce: 'abcdefgh1234' });
    expect(posted.at(-1)).toEqual({ message: { type: PAGE_PORT, nonce: 'abcdefgh1234' }, origin: 'app://codex-host', transfer: [port] });
  });

  it('ignores requests from frames, other origins, other types and malformed nonces', () => {
    const before = sent.length;
    fromPage({ type: PAGE_PORT_REQUEST, nonce: 'abcdefgh1234' }, { source: {} });
    fromPage({ type: PAGE_PORT_REQUEST, nonce: 'abcdefgh1234' }, { origin: 'https://evil.example' });
    fromPage({ type: 'something-else', nonce: 'abcdefgh1234' });
    fromPage({ type: PAGE_PORT_REQUEST, nonce: 'short' });
    fromPage({ type: PAGE_PORT_REQUEST, nonce: 'has spaces in it' });
    fromPage('codex-host:hub-port-request');
    fromPage(null);
    expect(sent.length).toBe(before);
  });

  it('ignores a port message without a port or a valid nonce', () => {
    const before = posted.length;
    ipcListeners.get(IPC_PORT_CHANNEL)!({ ports: [] }, { nonce: 'abcdefgh1234' });
    ipcListeners.get(IPC_PORT_CHANNEL)!({ ports: [{}] }, { nonce: '../../x' });
    ipcListeners.get(IPC_PORT_CHANNEL)!({ ports: [{}] }, null);
    expect(posted.length).toBe(before);
  });
});
