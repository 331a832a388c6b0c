/**
 * Quitting stops the host cleanly (docs/desktop.md, "Quit"): the first `before-quit` is held
 * (`preventDefault`) while `dispose()` runs — every client closed, the engine drained, the
 * data-dir lock released — then the app quits for real. A second quit while disposing is
 * ignored (the host is already stopping), and a dispose that takes longer than `timeoutMs`
 * is given up on with an error in the log, so the app can always quit.
 */
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';

/** The subset of Electron's `app` used. */
export interface QuitApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export const QUIT_TIMEOUT_MS = 30_000;

export type QuitState = 'running' | 'disposing' | 'done';

export class QuitController {
  readonly #app: QuitApp;
  readonly #dispose: () => Promise<void>;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  #state: QuitState = 'running';

  constructor(o: { app: QuitApp; dispose: () => Promise<void>; logger: Logger; timeoutMs?: number }) {
    this.#app = o.app;
    this.#dispose = o.dispose;
    this.#logger = o.logger;
    this.#timeoutMs = o.timeoutMs ?? QUIT_TIMEOUT_MS;
    o.app.on('before-quit', (event) => this.#onBeforeQuit(event));
  }

  get state(): QuitState {
    return this.#state;
  }

  #onBeforeQuit(event: { preventDefault(): void }): void {
    if (this.#state === 'done') return;
    event.preventDefault();
    if (this.#state === 'disposing') {
      this.#logger.info('quit requested again while the host is stopping: ignored');
      return;
    }
    this.#state = 'disposing';
    this.#logger.info('quitting: stopping the host');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#logger.error(`the host did not stop within ${this.#timeoutMs} ms; quitting anyway`);
        resolve();
      }, this.#timeoutMs);
    });
    const disposing = this.#dispose().catch((err: unknown) => this.#logger.error('stopping the host failed', { error: errorMessage(err) }));
    void Promise.race([disposing, timeout]).then(() => {
      clearTimeout(timer);
      this.#state = 'done';
      this.#app.quit();
    });
  }
}
