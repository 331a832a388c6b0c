/**
 * The remote projects of each SSH host (docs/ssh.md, "Remote projects"): folders the user
 * picked on a host, remembered in `ssh-projects.json` in the data dir, written atomically and
 * one write at a time. A file that cannot be read is never overwritten: the list is then empty
 * with a `problem` naming the file, and changes are refused until it is fixed or removed.
 */
import path from 'node:path';
import { z } from 'zod';
import type { RemoteProject } from '../../shared/protocol/features/sshApi.js';
import { errorMessage } from '../../shared/util/errors.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { SSH_PROJECTS_FILE } from './sshStateFiles.js';

export const MAX_SSH_PROJECTS = 1000;

const projectSchema = z.object({
  host: z.string().min(1).max(255),
  path: z.string().min(1).max(4096).startsWith('/'),
  name: z.string().min(1).max(64),
  addedAt: z.string().max(64),
});
const fileSchema = z.object({ version: z.literal(1), projects: z.array(projectSchema).max(MAX_SSH_PROJECTS) });

/** A change the store refused (the message is for the user). */
export class SshProjectsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshProjectsError';
  }
}

export class SshProjects {
  readonly #file: string;
  readonly #now: () => number;
  #projects: RemoteProject[];
  readonly #problem: string | undefined;
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(file: string, projects: RemoteProject[], problem: string | undefined, now: () => number) {
    this.#file = file;
    this.#projects = projects;
    this.#problem = problem;
    this.#now = now;
  }

  static async open(dataDir: string, now: () => number = Date.now): Promise<SshProjects> {
    const file = path.join(dataDir, SSH_PROJECTS_FILE);
    try {
      const stored = await readJsonFile(file, fileSchema);
      return new SshProjects(file, stored?.projects ?? [], undefined, now);
    } catch (err) {
      return new SshProjects(file, [], `the remote projects file ${file} cannot be read (${errorMessage(err).slice(0, 300)}); fix or remove it`, now);
    }
  }

  /** Why the stored list could not be read (changes are refused meanwhile). */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** The projects, of one host or of all, in the order they were added. */
  list(host?: string): RemoteProject[] {
    return this.#projects.filter((p) => host === undefined || p.host === host);
  }

  /** Remembers `folder` (absolute, as the host resolved it) of `host`; adding it again returns the one stored. */
  add(host: string, folder: string, name?: string): Promise<RemoteProject> {
    return this.#mutate((current) => {
      const existing = current.find((p) => p.host === host && p.path === folder);
      if (existing) return { result: existing };
      if (current.length >= MAX_SSH_PROJECTS) throw new SshProjectsError(`at most ${MAX_SSH_PROJECTS} remote projects can be remembered; remove some first`);
      const project: RemoteProject = { host, path: folder, name: name ?? defaultName(folder), addedAt: new Date(this.#now()).toISOString() };
      return { next: [...current, project], result: project };
    });
  }

  remove(host: string, folder: string): Promise<boolean> {
    return this.#mutate((current) => {
      const next = current.filter((p) => !(p.host === host && p.path === folder));
      return next.length === current.length ? { result: false } : { next, result: true };
    });
  }

  /** Forgets every project of `host` (the host was removed). */
  async removeHost(host: string): Promise<void> {
    if (this.#problem) return;
    await this.#mutate((current) => (current.some((p) => p.host === host) ? { next: current.filter((p) => p.host !== host), result: undefined } : { result: undefined }));
  }

  /** Moves the projects of a renamed host. */
  async renameHost(from: string, to: string): Promise<void> {
    if (this.#problem || from === to) return;
    await this.#mutate((current) => (current.some((p) => p.host === from) ? { next: current.map((p) => (p.host === from ? { ...p, host: to } : p)), result: undefined } : { result: undefined }));
  }

  /** Waits for the writes in flight. */
  async flush(): Promise<void> {
    await this.#writes;
  }

  /**
   * Runs one change after the ones before it: `change` sees the current list; a new list is
   * written first and adopted only once written, so a failed write leaves the file and the
   * list as they were.
   */
  #mutate<T>(change: (current: readonly RemoteProject[]) => { next?: RemoteProject[]; result: T }): Promise<T> {
    const run = this.#writes.then(async () => {
      if (this.#problem) throw new SshProjectsError(this.#problem);
      const { next, result } = change(this.#projects);
      if (!next) return result;
      try {
        await writeJsonAtomic(this.#file, { version: 1, projects: next });
      } catch (err) {
        throw new SshProjectsError(`the remote projects could not be saved (${errorMessage(err).slice(0, 300)})`);
      }
      this.#projects = next;
      return result;
    });
    this.#writes = run.catch(() => undefined);
    return run;
  }
}

function defaultName(folder: string): string {
  const base = folder === '/' ? '/' : folder.slice(folder.lastIndexOf('/') + 1);
  return [...base].slice(0, 64).join('') || folder.slice(0, 64);
}
