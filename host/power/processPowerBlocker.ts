/**
 * Keep-awake for the headless host through a helper process that holds the block for as long
 * as it lives: `systemd-inhibit … sh -c 'echo held; exec cat'` on Linux and `caffeinate -i -w
 * PID` on macOS. Both helpers end by themselves when this process dies, so even a SIGKILLed
 * host cannot leave the computer awake: `cat` exits when the pipe from us closes (which ends
 * `systemd-inhibit` and its inhibitor lock), and `caffeinate -w` exits when our pid does.
 *
 * A start resolves once the helper really holds the block (`ready`: a line on stdout, or the
 * process having spawned) and rejects with the helper's last stderr line when it exits first
 * (e.g. "Failed to connect to bus: No such file or directory" in a container without a system
 * bus) or does not get ready in time.
 */
import type { PowerBlock, PowerBlocker } from './powerBlocker.js';

/** The subset of a `node:child_process` ChildProcess that this adapter uses. */
export interface HelperProcess {
  readonly pid?: number | undefined;
  readonly stdin: { end(): void; on(event: 'error', listener: (err: Error) => void): unknown } | null;
  readonly stdout: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  readonly stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

/** How to spawn (`node:child_process` `spawn` fits). stdio is always three pipes. */
export type SpawnHelper = (command: string, args: readonly string[], options: { stdio: ['pipe', 'pipe', 'pipe'] }) => HelperProcess;

export interface ProcessPowerBlockerOptions {
  /** For status lines and error messages ("systemd-inhibit"). */
  readonly name: string;
  readonly command: string;
  /** argv after the command, given the one-line reason (never secret: it shows in `ps`). */
  readonly args: (why: string) => readonly string[];
  /** `spawned`: held once the process runs; `stdout`: held once it prints a line. */
  readonly ready: 'spawned' | 'stdout';
  readonly spawn: SpawnHelper;
  /** Set when the tool is known to be missing (see `headlessPowerBlocker.ts`). */
  readonly unavailableReason?: string;
  /** How long a start may take before it is given up. Default 5 s. */
  readonly startTimeoutMs?: number;
}

const STDERR_KEEP_BYTES = 4096;

export class ProcessPowerBlocker implements PowerBlocker {
  readonly name: string;
  readonly unavailableReason: string | undefined;
  readonly #options: ProcessPowerBlockerOptions;

  constructor(options: ProcessPowerBlockerOptions) {
    this.name = options.name;
    this.unavailableReason = options.unavailableReason;
    this.#options = options;
  }

  start(why: string, onEnded: (reason: string) => void): Promise<PowerBlock> {
    const o = this.#options;
    if (this.unavailableReason !== undefined) return Promise.reject(new Error(this.unavailableReason));
    return new Promise<PowerBlock>((resolve, reject) => {
      let child: HelperProcess;
      try {
        child = o.spawn(o.command, o.args(why), { stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (err) {
        reject(new Error(`${o.name}: cannot start (${err instanceof Error ? err.message : String(err)})`));
        return;
      }
      let stderr = '';
      let state: 'starting' | 'held' | 'released' | 'ended' = 'starting';
      const stop = () => {
        child.stdin?.end();
        child.kill('SIGTERM');
      };
      let timer: NodeJS.Timeout | undefined;
      const fail = (reason: string) => {
        if (state !== 'starting') return;
        state = 'ended';
        clearTimeout(timer);
        stop();
        reject(new Error(`${o.name}: ${reason}`));
      };
      const held = () => {
        if (state !== 'starting') return;
        state = 'held';
        clearTimeout(timer);
        resolve({
          dispose: () => {
            if (state !== 'held') return;
            state = 'released';
            stop();
          },
        });
      };
      const timeoutMs = o.startTimeoutMs ?? 5000;
      timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
      // Ending the pipe of a helper that already exited may raise EPIPE: expected, not a crash.
      child.stdin?.on('error', () => {});
      child.stderr?.on('data', (chunk) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP_BYTES);
      });
      child.stdout?.on('data', () => {
        if (o.ready === 'stdout') held();
      });
      child.on('spawn', () => {
        if (o.ready === 'spawned') held();
      });
      child.on('error', (err) => {
        const code = (err as NodeJS.ErrnoException).code;
        fail(code === 'ENOENT' ? `${o.command} is not installed (not on PATH)` : err.message);
      });
      child.on('exit', (code, signal) => {
        const why = lastLine(stderr) ?? (signal ? `exited on ${signal}` : `exited with code ${code ?? 'unknown'}`);
        if (state === 'starting') fail(why);
        else if (state === 'held') {
          state = 'ended';
          onEnded(`${o.name}: ${why}`);
        }
      });
    });
  }
}

/** The last non-empty stderr line, trimmed and bounded (a one-line reason for the UI). */
function lastLine(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const last = lines.at(-1);
  return last === undefined ? undefined : last.slice(0, 300);
}
