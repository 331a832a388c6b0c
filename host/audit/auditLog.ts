/**
 * The append-only audit log of approvals answered through the hub (docs/architecture.md): one JSON
 * object per line, each line fsync'd before `append` resolves, so an entry that was reported
 * written survives a crash. Writes are serialized; a failing write is reported to the caller
 * (the hub then drops the approval instead of applying it unaudited) and kept as the log's
 * `problem` until a later write succeeds. Nothing is cached across a failure: the next append
 * opens the file again (red-team P7); a file that was deleted or replaced since it was opened
 * is opened again too, so lines never go to an unlinked inode.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { ClientKind } from '../../shared/protocol/clientIdentity.js';
import { errorMessage } from '../../shared/util/errors.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';

export interface AuditEntry {
  /** ISO time the answer passed through the hub. */
  readonly time: string;
  readonly client: { readonly kind: ClientKind; readonly id: string; readonly name: string };
  /** The environment whose engine asked (`local`, or an SSH host). */
  readonly environmentId: string;
  readonly threadId: string | null;
  /** The server request method, e.g. item/commandExecution/requestApproval. */
  readonly request: string;
  /** Command line, file-change reason or other short description (truncated). */
  readonly summary: string;
  /** The decision as sent (accept, decline, cancel, acceptForSession, …) or "error"; at most 256 characters. */
  readonly decision: string;
  /** "applied" when this answer was the first, "late" when another client had already answered. */
  readonly outcome: 'applied' | 'late';
}

export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
  /** Why the log cannot be written right now; undefined while it works. */
  readonly problem?: string;
  /** Fired when `problem` changes. */
  onProblemChanged?(listener: (problem: string | undefined) => void): Disposable;
  /** Opens the log ahead of the first entry, so a problem shows before an approval needs it. */
  check?(): Promise<void>;
}

export class FileAuditLog implements AuditSink {
  #handle: FileHandle | undefined;
  #chain: Promise<void> = Promise.resolve();
  #problem: string | undefined;
  readonly #problemChanged = new Emitter<string | undefined>();

  constructor(readonly path: string) {}

  get problem(): string | undefined {
    return this.#problem;
  }

  onProblemChanged(listener: (problem: string | undefined) => void): Disposable {
    return this.#problemChanged.on(listener);
  }

  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    return this.#run(async (fh) => {
      await fh.appendFile(line, 'utf8');
      await fh.datasync();
    });
  }

  check(): Promise<void> {
    return this.#run(async () => {}).catch(() => {});
  }

  async dispose(): Promise<void> {
    await this.#chain;
    const fh = this.#handle;
    this.#handle = undefined;
    await fh?.close();
  }

  #run(step: (fh: FileHandle) => Promise<void>): Promise<void> {
    const run = this.#chain.then(async () => {
      try {
        if (this.#handle && !(await this.#stillThePath(this.#handle))) {
          const stale = this.#handle;
          this.#handle = undefined;
          await stale.close().catch(() => {});
        }
        this.#handle ??= await open(this.path, 'a', 0o600);
        await step(this.#handle);
      } catch (err) {
        // Start from a fresh open next time: the file may be fixed, or the handle is broken.
        const fh = this.#handle;
        this.#handle = undefined;
        await fh?.close().catch(() => {});
        this.#setProblem(errorMessage(err));
        throw err;
      }
      this.#setProblem(undefined);
    });
    // Keep the chain alive after a failure so later entries are still tried.
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Whether the open handle is still the file at `path` (not deleted, not replaced). */
  async #stillThePath(fh: FileHandle): Promise<boolean> {
    try {
      const [atPath, open] = await Promise.all([stat(this.path), fh.stat()]);
      return atPath.ino === open.ino && atPath.dev === open.dev;
    } catch {
      return false;
    }
  }

  #setProblem(problem: string | undefined): void {
    if (problem === this.#problem) return;
    this.#problem = problem;
    this.#problemChanged.fire(problem);
  }
}

/** An in-memory sink (tests, and hosts run without a data dir). */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}
