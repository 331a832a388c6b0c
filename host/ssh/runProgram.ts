/**
 * The one child_process adapter of host/ssh: runs a local program with stdin closed (so `ssh -G`
 * never waits on, or complains about, a terminal), a time bound and bounded output.
 */
import { spawn } from 'node:child_process';

export interface ProgramResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program; rejects with the spawn error (`code` ENOENT when it does not exist) or on timeout. */
export type RunProgram = (file: string, args: readonly string[], options: { readonly timeoutMs: number; readonly maxBytes: number }) => Promise<ProgramResult>;

export const runProgram: RunProgram = (file, args, { timeoutMs, maxBytes }) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env: { ...process.env, LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`${file} did not finish within ${timeoutMs} ms`)));
    }, timeoutMs);
    const take = (list: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        child.kill('SIGKILL');
        finish(() => reject(new Error(`${file} printed more than ${maxBytes} bytes`)));
        return;
      }
      list.push(chunk);
    };
    child.stdout.on('data', take(out));
    child.stderr.on('data', take(err));
    child.on('error', (e) => finish(() => reject(e)));
    child.on('close', (code) => finish(() => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })));
  });
