/**
 * The renderer's side of the desktop app's hub port (electronTransport.ts, electronBoot.ts): the
 * handshake takes only our window's answer with our nonce, times out with one sentence, and the
 * transport carries text both ways and close codes as close frames. The page's window is a fake;
 * the ports are real MessageChannel ports.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_PORT, PAGE_PORT_REQUEST } from '../../shared/protocol/desktopPort.js';
import { getElectronTransport } from './electronBoot.js';
import { MessagePortTransport, requestHubPort, type PortWindow } from './electronTransport.js';

type Listener = (event: MessageEvent) => void;

/** A window whose preload answers each port request with `answer` (or not at all). */
function fakeWindow(answer?: (nonce: string, win: FakeWindow) => void, codexHost?: unknown) {
  const listeners = new Set<Listener>();
  const requests: unknown[] = [];
  const win = {
    codexHost,
    location: { origin: 'app://codex-host' },
    addEventListener: (_t: 'message', l: Listener) => void listeners.add(l),
    removeEventListener: (_t: 'message', l: Listener) => void listeners.delete(l),
    postMessage(message: unknown, targetOrigin: string) {
      requests.push({ message, targetOrigin });
      const nonce = (message as { nonce: string }).nonce;
      queueMicrotask(() => answer?.(nonce, win));
    },
    deliver(data: unknown, over: Partial<{ source: unknown; origin: string; ports: MessagePort[] }> = {}) {
      for (const l of [...listeners]) l({ source: win, origin: 'app://codex-host', data, ports: [], ...over } as unknown as MessageEvent);
    },
    listenerCount: () => listeners.size,
    requests,
  };
  return win;
}
type FakeWindow = ReturnType<typeof fakeWindow>;

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});
function channel(): MessageChannel {
  const c = new MessageChannel();
  channels.push(c);
  return c;
}

function collect(port: MessagePort) {
  const got: unknown[] = [];
  port.addEventListener('message', (e) => got.push((e as MessageEvent).data));
  port.start();
  return got;
}

describe('the desktop app hub port (renderer side)', () => {
  it('asks the preload for a port with a nonce and takes only the matching answer from our window', async () => {
    const right = channel();
    const win = fakeWindow((nonce, w) => {
      w.deliver({ type: PAGE_PORT, nonce: 'someone-elses-nonce' }, { ports: [channel().port1] });
      w.deliver({ type: PAGE_PORT, nonce }, { ports: [channel().port1], source: {} }); // from a frame
      w.deliver({ type: PAGE_PORT, nonce }, { ports: [channel().port1], origin: 'https://evil.example' });
      w.deliver({ type: PAGE_PORT, nonce }); // no port
      w.deliver({ type: PAGE_PORT, nonce }, { ports: [right.port1] });
    });
    const port = await requestHubPort(win as unknown as PortWindow);
    expect(port).toBe(right.port1);
    expect(win.requests).toEqual([{ message: { type: PAGE_PORT_REQUEST, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) }, targetOrigin: 'app://codex-host' }]);
    expect(win.listenerCount()).toBe(0);
  });

  it('gives up with one clear sentence when no port comes', async () => {
    const win = fakeWindow();
    await expect(requestHubPort(win as unknown as PortWindow, 30)).rejects.toThrow('the desktop app did not connect this window to the host in time');
    expect(win.listenerCount()).toBe(0);
  });

  it('exists only in the desktop app (where the preload set codexHost)', async () => {
    expect(getElectronTransport(fakeWindow() as unknown as PortWindow)).toBeUndefined();
    expect(getElectronTransport(fakeWindow(undefined, 'not an object') as unknown as PortWindow)).toBeUndefined();
    const c = channel();
    const win = fakeWindow((nonce, w) => w.deliver({ type: PAGE_PORT, nonce }, { ports: [c.port1] }), { platform: 'darwin' });
    const mainSide = collect(c.port2);
    const transport = await getElectronTransport(win as unknown as PortWindow)!;
    transport.send('{"id":1,"method":"initialize"}');
    await expect.poll(() => mainSide).toEqual(['{"id":1,"method":"initialize"}']);
  });

  it('carries text both ways and reports the close code main sent', async () => {
    const c = channel();
    const t = new MessagePortTransport(c.port1);
    const got: string[] = [];
    const closes: unknown[] = [];
    t.onMessage((m) => got.push(m));
    t.onClose((i) => closes.push(i));
    c.port2.postMessage('{"id":1,"result":{}}');
    await expect.poll(() => got).toEqual(['{"id":1,"result":{}}']);
    c.port2.postMessage({ type: 'close', code: 1012, reason: 'engine restarted; reconnect to continue' });
    await expect.poll(() => closes).toEqual([{ code: 1012, reason: 'engine restarted; reconnect to continue' }]);
    expect(t.isClosed).toBe(true);
    expect(() => t.send('x')).toThrow(/closed \(1012/);
  });

  it('sends a close frame when it closes, and refuses anything but text from main', async () => {
    const c = channel();
    const mainSide = collect(c.port2);
    const t = new MessagePortTransport(c.port1);
    t.close(1000, 'window closing');
    await expect.poll(() => mainSide).toEqual([{ type: 'close', code: 1000, reason: 'window closing' }]);
    expect(t.closeInfo).toEqual({ code: 1000, reason: 'window closing' });

    const c2 = channel();
    const main2 = collect(c2.port2);
    const t2 = new MessagePortTransport(c2.port1);
    c2.port2.postMessage({ method: 'not text' });
    await expect.poll(() => main2).toEqual([{ type: 'close', code: 1003, reason: 'only JSON text messages and close frames are accepted on this port' }]);
    expect(t2.isClosed).toBe(true);
  });
});
