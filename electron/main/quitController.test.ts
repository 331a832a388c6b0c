/**
 * Quitting (quitController.ts): the first quit is held until the host is disposed, exactly once;
 * a second quit while it stops is ignored; then the app quits for real; a host that never stops
 * does not keep the app alive.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { QuitController } from './quitController.js';

/** `app` as far as quitting goes: quit() emits before-quit and quits unless prevented. */
class FakeApp extends EventEmitter {
  quits = 0;
  quitForReal = 0;
  quit(): void {
    this.quits++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitForReal++;
  }
}

describe('quitting the desktop app', () => {
  it('disposes the host exactly once, ignores a second quit meanwhile, then quits', async () => {
    const app = new FakeApp();
    let finish!: () => void;
    const dispose = vi.fn(() => new Promise<void>((r) => (finish = r)));
    const q = new QuitController({ app, dispose, logger: silentLogger });
    app.quit();
    expect(q.state).toBe('disposing');
    expect(app.quitForReal).toBe(0);
    app.quit(); // Cmd+Q again while the engine drains
    expect(dispose).toHaveBeenCalledOnce();
    expect(app.quitForReal).toBe(0);
    finish();
    await vi.waitFor(() => expect(app.quitForReal).toBe(1));
    expect(q.state).toBe('done');
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('quits even when stopping the host fails', async () => {
    const app = new FakeApp();
    const q = new QuitController({ app, dispose: () => Promise.reject(new Error('engine would not stop')), logger: silentLogger });
    app.quit();
    await vi.waitFor(() => expect(app.quitForReal).toBe(1));
    expect(q.state).toBe('done');
  });

  it('gives up on a host that does not stop in time', async () => {
    const app = new FakeApp();
    const errors: string[] = [];
    new QuitController({ app, dispose: () => new Promise(() => {}), logger: { ...silentLogger, error: (m) => errors.push(m) }, timeoutMs: 20 });
    app.quit();
    await vi.waitFor(() => expect(app.quitForReal).toBe(1));
    expect(errors).toEqual(['the host did not stop within 20 ms; quitting anyway']);
  });
});
