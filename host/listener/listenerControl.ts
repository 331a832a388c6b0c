/**
 * The remote-TUI listener at run time (docs/connections.md, docs/host-api.md "Listener
 * settings"): started from the `serve --listen …` flags (which then fix it) or from the stored
 * settings, restarted when Settings > Connections changes them, stopped when turned off
 * (stopping closes its clients with 1001). Settings go through `parseListenerOptions`, the same
 * validation as the flags, and an unauthenticated listener off loopback is always refused here
 * (there is no `--allow-unauthenticated-non-loopback-ws` in the UI). Changes are serialized;
 * a bad input or a listener that cannot start leaves the running one and the stored settings
 * as they were.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ListenerSettings, ListenerView } from '../../shared/protocol/features/listenerApi.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { ListenerConfigError, parseListenerOptions, type ListenerConfig, type RawListenerOptions } from './listenerOptions.js';
import { LISTENER_TOKEN_FILE, rawOptionsOf, settingsOfConfig } from './listenerSettings.js';
import { remoteTuiCommand } from './remoteTuiCommand.js';

/** What the control needs of a running listener (WsListener). */
export interface RunningListener {
  readonly url: string;
  dispose(): Promise<void>;
}

export interface ListenerControlDeps {
  readonly dataDir: string;
  /** The validated `serve --listen …` flags: they fix the listener. */
  readonly flags?: ListenerConfig;
  /** The stored settings (or the defaults). */
  readonly settings: ListenerSettings;
  readonly start: (config: ListenerConfig) => Promise<RunningListener>;
  readonly save: (settings: ListenerSettings) => Promise<void>;
  /** Writes the generated token file (0600). */
  readonly writeToken: (file: string, token: string) => Promise<void>;
  /** Remote TUI clients connected now. */
  readonly clients: () => number;
  /** Told after every change (the feature announces host/listener/changed). */
  readonly onChanged: () => void;
  readonly logger: Logger;
  readonly platform?: NodeJS.Platform;
  /** Validation (default `parseListenerOptions`; tests inject file reads through it). */
  readonly parse?: (raw: RawListenerOptions) => ListenerConfig;
}

export class ListenerControl implements Disposable {
  readonly #d: ListenerControlDeps;
  #settings: ListenerSettings;
  #config: ListenerConfig | undefined;
  #listener: RunningListener | undefined;
  #lastError: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: ListenerControlDeps) {
    this.#d = deps;
    this.#settings = deps.flags ? settingsOfConfig(deps.flags) : deps.settings;
  }

  get url(): string | undefined {
    return this.#listener?.url;
  }

  /** The config the listener runs with (for the serve banner). */
  get config(): ListenerConfig | undefined {
    return this.#listener ? this.#config : undefined;
  }

  get generatedTokenFile(): string {
    return path.join(this.#d.dataDir, LISTENER_TOKEN_FILE);
  }

  /** Why the stored listener did not start (a host/info warning), while it is not running. */
  get problem(): string | undefined {
    return this.#settings.enabled && !this.#listener && this.#lastError ? `the remote-TUI listener did not start: ${this.#lastError}` : undefined;
  }

  /**
   * Starts the listener if it is on. Flags that fail (a taken port) fail the host start, as
   * `serve --listen` always did; stored settings that fail leave it off with the reason shown.
   */
  async boot(): Promise<void> {
    if (this.#d.flags) {
      this.#listener = await this.#d.start(this.#d.flags);
      this.#config = this.#d.flags;
      return;
    }
    if (!this.#settings.enabled) return;
    try {
      const config = this.#parse(this.#settings);
      this.#listener = await this.#d.start(config);
      this.#config = config;
    } catch (err) {
      this.#lastError = errorMessage(err).replace(/^host\/listener\/set: /, '');
      this.#d.logger.warn('the remote-TUI listener did not start', { error: this.#lastError });
    }
  }

  view(): ListenerView {
    const config = this.config;
    const running = this.#listener;
    const s = this.#settings;
    const command = running ? remoteTuiCommand({ url: running.url, auth: s.auth, ...(s.tokenFile ? { tokenFile: s.tokenFile } : {}), platform: this.#d.platform ?? process.platform }) : undefined;
    return {
      settings: s,
      fixedByFlags: this.#d.flags !== undefined,
      state: running ? 'listening' : s.enabled && this.#lastError ? 'failed' : 'off',
      ...(running ? { url: running.url } : {}),
      ...(!running && this.#lastError ? { lastError: this.#lastError.slice(0, 1000) } : {}),
      warnings: (config?.warnings ?? []).slice(0, 8).map((w) => w.slice(0, 1000)),
      clients: running ? this.#d.clients() : 0,
      generatedTokenFile: this.generatedTokenFile,
      ...(command ? { command } : {}),
    };
  }

  /** Validates, applies and saves new settings (see the file header for what "intact" means). */
  set(next: ListenerSettings): Promise<ListenerView> {
    return this.#serialized(async () => {
      this.#refuseFixed('host/listener/set');
      if (!next.enabled) {
        await this.#save(next);
        await this.#stop();
        this.#settings = next;
        this.#lastError = undefined;
        this.#d.logger.info('remote-TUI listener turned off');
        this.#d.onChanged();
        return this.view();
      }
      const config = this.#parse(next);
      await this.#replace(config, async () => this.#save(next));
      this.#settings = next;
      this.#d.logger.info('remote-TUI listener started', { url: this.#listener?.url, auth: config.auth.mode });
      this.#d.onChanged();
      return this.view();
    });
  }

  /** Writes a fresh token to the data dir's token file; a listener reading that file switches to it. */
  generateToken(): Promise<{ tokenFile: string; view: ListenerView }> {
    return this.#serialized(async () => {
      const file = this.generatedTokenFile;
      const token = randomBytes(32).toString('base64url');
      try {
        await this.#d.writeToken(file, token);
      } catch (err) {
        throw new RpcError(RpcErrorCode.InternalError, `host/listener/generateToken: cannot write ${file} (${errorMessage(err)})`);
      }
      const s = this.#settings;
      if (!this.#d.flags && this.#listener && s.auth === 'capability-token' && s.tokenFile === file) {
        await this.#replace(this.#parse(s), async () => {});
      }
      this.#d.logger.info('generated a listener capability token', { file });
      this.#d.onChanged();
      return { tokenFile: file, view: this.view() };
    });
  }

  async dispose(): Promise<void> {
    await this.#queue;
    await this.#stop();
  }

  /** Stops the running listener, starts `config`, then `commit`s; any failure restores the previous listener. */
  async #replace(config: ListenerConfig, commit: () => Promise<void>): Promise<void> {
    const previous = this.#config && this.#listener ? this.#config : undefined;
    await this.#stop();
    let started: RunningListener;
    try {
      started = await this.#d.start(config);
    } catch (err) {
      await this.#restore(previous);
      throw new RpcError(RpcErrorCode.InternalError, `host/listener/set: ${errorMessage(err)}; nothing was changed`);
    }
    this.#listener = started;
    this.#config = config;
    try {
      await commit();
    } catch (err) {
      await this.#stop();
      await this.#restore(previous);
      throw err;
    }
    this.#lastError = undefined;
  }

  async #restore(previous: ListenerConfig | undefined): Promise<void> {
    if (!previous) return;
    try {
      this.#listener = await this.#d.start(previous);
      this.#config = previous;
    } catch (err) {
      this.#lastError = errorMessage(err);
      this.#d.logger.error('the previous remote-TUI listener could not be restarted', { error: this.#lastError });
    }
  }

  async #stop(): Promise<void> {
    const l = this.#listener;
    this.#listener = undefined;
    this.#config = undefined;
    await l?.dispose();
  }

  #parse(s: ListenerSettings): ListenerConfig {
    try {
      return (this.#d.parse ?? parseListenerOptions)(rawOptionsOf(s));
    } catch (err) {
      if (err instanceof ListenerConfigError) throw new RpcError(RpcErrorCode.InvalidParams, `host/listener/set: ${err.message.replace(/; configure `--ws-auth capability-token` or `--ws-auth signed-bearer-token`$/, ': choose an auth mode')}`);
      throw err;
    }
  }

  async #save(next: ListenerSettings): Promise<void> {
    try {
      await this.#d.save(next);
    } catch (err) {
      throw new RpcError(RpcErrorCode.InternalError, `host/listener/set: the settings could not be saved (${errorMessage(err)}); nothing was changed`);
    }
  }

  #refuseFixed(op: string): void {
    if (this.#d.flags) throw new RpcError(RpcErrorCode.InvalidRequest, `${op}: the listener is set by --listen on the serve command line; start the host without it to configure the listener here`);
  }

  #serialized<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step);
    this.#queue = run.catch(() => {});
    return run;
  }
}
