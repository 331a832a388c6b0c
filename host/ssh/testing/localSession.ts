/**
 * An `SshSession` whose exec channels run on this machine (`/bin/sh -c COMMAND`), for unit
 * tests of the scripts the host runs over SSH (the folder listing): the same command and
 * script, the real `sh`, no sshd. Forwarding is not offered.
 */
import { spawn } from 'node:child_process';
import { Emitter } from '../../../shared/util/lifecycle.js';
import type { ExecChannel, SshSession } from '../ssh2Client.js';

export class LocalSession implements SshSession {
  readonly #closed = new Emitter<string>();
  /** Every command run, in order. */
  readonly commands: string[] = [];
  isClosed = false;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  exec(command: string): Promise<ExecChannel> {
    this.commands.push(command);
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'pipe', env: this.env });
    const exit = new Promise<{ code: number | null; signal: string | undefined }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal: signal ?? undefined })));
    return Promise.resolve({
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      get duplex(): never {
        throw new Error('LocalSession: no duplex channel');
      },
      exit,
      close: () => child.kill('SIGKILL'),
    });
  }

  forwardOut(): never {
    throw new Error('LocalSession: no forwarding');
  }

  onClose(listener: (reason: string) => void) {
    return this.#closed.on(listener);
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.#closed.fire('closed by the test');
  }
}
