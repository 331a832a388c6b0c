/**
 * The `ssh` host feature (docs/host-api.md, "SSH hosts"): the handler table of host/ssh/*,
 * the environments of the enabled hosts (sshEnvironments.ts), and the notifications a
 * Settings > Connections SSH tab and `codex-host ssh enable` need without polling: a host's
 * state, phase or last error changed (`host/ssh/changed`, sent once per actual change), a
 * prompt waits (`host/ssh/prompt`) or stopped waiting (`host/ssh/prompt/closed`), and the
 * remote projects changed. Prompt answers pass straight to the connection that asked; they are
 * never logged, stored or echoed.
 */
import type { SshHostInfo } from '../../shared/protocol/features/sshApi.js';
import type { HostNotificationParams } from '../../shared/protocol/hostNotifications.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import { listRemoteFolders, RemoteFolderError } from './remoteFolders.js';
import { SshEnvironments, type EnvironmentRegistryLike } from './sshEnvironments.js';
import { SshError } from './sshErrors.js';
import { toPromptInfo, toSshHostInfo } from './sshHostInfo.js';
import type { SshHosts } from './sshHosts.js';
import { SshProjects, SshProjectsError } from './sshProjects.js';

type SshNotification = 'host/ssh/changed' | 'host/ssh/prompt' | 'host/ssh/prompt/closed' | 'host/ssh/projects/changed';

/** What the feature needs of the hub. */
export interface SshFeatureHub {
  readonly environments: EnvironmentRegistryLike;
  notify<N extends SshNotification>(notification: N, params: HostNotificationParams<N>): void;
}

export interface SshFeatureDeps {
  readonly hub: SshFeatureHub;
  readonly hosts: SshHosts;
  readonly projects: SshProjects;
  readonly logger: Logger;
}

export class SshFeature implements Disposable {
  readonly #d: SshFeatureDeps;
  readonly #subs: Disposable[] = [];
  #disposed = false;
  readonly #environments: SshEnvironments;
  /** What `host/ssh/changed` last said of each host (JSON), so each change is sent once. */
  readonly #sent = new Map<string, string>();
  #listing: Promise<void> = Promise.resolve();

  constructor(deps: SshFeatureDeps) {
    this.#d = deps;
    const { hosts, hub } = deps;
    this.#environments = new SshEnvironments(hub.environments, hosts, deps.logger);
    this.#subs.push(
      hosts.onChange((name) => this.#onChange(name)),
      hosts.onPrompt((p) => hub.notify('host/ssh/prompt', toPromptInfo(p))),
      hosts.onPromptClosed((p) => hub.notify('host/ssh/prompt/closed', { promptId: p.id, host: p.request.host })),
    );
    this.#environments.sync();
  }

  /** The complete `ssh` handler table. */
  table(): HostFeatureTable<'ssh'> {
    const { hosts, projects } = this.#d;
    const envs = this.#environments;
    const info = (name: string): { host: SshHostInfo } => {
      const v = hosts.view(name);
      if (!v) throw new SshError('config', `there is no host ${name}`);
      return { host: toSshHostInfo(v) };
    };
    return {
      'host/ssh/list': () => guard('host/ssh/list', () => this.#list()),
      'host/ssh/refresh': () =>
        guard('host/ssh/refresh', async () => {
          await hosts.refresh();
          return this.#list();
        }),
      'host/ssh/enable': ({ name }) =>
        guard('host/ssh/enable', async () => {
          await hosts.enable(name);
          envs.sync();
          return info(name);
        }),
      'host/ssh/disable': ({ name }) =>
        guard('host/ssh/disable', async () => {
          // The environment goes first, so its clients are told why (1001) before the engine stops.
          envs.remove(name);
          await hosts.disable(name);
          envs.sync();
          return info(name);
        }),
      'host/ssh/restart': ({ name }) =>
        guard('host/ssh/restart', async () => {
          await hosts.restart(name);
          return info(name);
        }),
      'host/ssh/trust': ({ name, fingerprint }) =>
        guard('host/ssh/trust', async () => {
          await hosts.trust(name, fingerprint);
          return info(name);
        }),
      'host/ssh/pick': ({ name }) =>
        guard('host/ssh/pick', async () => {
          await hosts.pick(name);
          return info(name);
        }),
      'host/ssh/add': ({ name, destination, port, identityFile }) =>
        guard('host/ssh/add', async () => {
          const added = await hosts.add({ name, destination, ...(port !== undefined ? { port } : {}), ...(identityFile !== undefined ? { identityFile } : {}) });
          return info(added.name);
        }),
      'host/ssh/edit': ({ name, newName, destination, port, identityFile }) =>
        guard('host/ssh/edit', async () => {
          if (!hosts.manualHost(name)) throw new SshError('config', `${name} is not a host added by hand (change config hosts in ${hosts.configFile})`);
          // The old settings' environment goes first and stays away until the new connection exists.
          envs.hold(name);
          try {
            const edited = await hosts.edit(name, { destination, ...(newName !== undefined ? { newName } : {}), ...(port !== undefined ? { port } : {}), ...(identityFile !== undefined ? { identityFile } : {}) });
            if (edited.name !== name) await this.#projectsChanged(() => projects.renameHost(name, edited.name));
            return info(edited.name);
          } finally {
            envs.release(name);
            envs.sync();
          }
        }),
      'host/ssh/remove': ({ name }) =>
        guard('host/ssh/remove', async () => {
          const source = hosts.manualHost(name) ? ('manual' as const) : ('config' as const);
          envs.remove(name);
          await hosts.remove(name);
          envs.sync();
          await this.#projectsChanged(() => projects.removeHost(name));
          return { removed: true as const, source };
        }),
      'host/ssh/prompt/answer': ({ promptId, answers }) =>
        guard('host/ssh/prompt/answer', () => {
          hosts.answerPrompt(promptId, answers);
          return { answered: true as const };
        }),
      'host/ssh/prompt/cancel': ({ promptId }) => guard('host/ssh/prompt/cancel', () => ({ cancelled: hosts.cancelPrompt(promptId) })),
      'host/ssh/browse': ({ host, path }) => guard('host/ssh/browse', () => this.#browse(host, path ?? '~')),
      'host/ssh/projects/list': (params) =>
        guard('host/ssh/projects/list', () => ({ projects: projects.list(params?.host), ...(projects.problem ? { problem: projects.problem } : {}) })),
      'host/ssh/projects/add': ({ host, path, name }) =>
        guard('host/ssh/projects/add', async () => {
          // Checked on the host, and stored as the host resolved it (absolute, no symlinks).
          const folder = await this.#browse(host, path);
          const project = await this.#projectsChanged(() => projects.add(host, folder.path, name));
          return { project };
        }),
      'host/ssh/projects/remove': ({ host, path }) => guard('host/ssh/projects/remove', async () => ({ removed: await this.#projectsChanged(() => projects.remove(host, path)) })),
    };
  }

  /** Removes the environments (their clients are closed) and stops listening; the hosts are the owner's to dispose. */
  dispose(): void {
    // Synchronous: no change of a host stopping afterwards may add its environment back.
    this.#disposed = true;
    for (const d of this.#subs.splice(0)) d.dispose();
    this.#environments.dispose();
  }

  async #list() {
    const { hosts } = this.#d;
    const list = await hosts.list();
    return {
      configFile: list.configFile,
      hosts: list.hosts.map(toSshHostInfo),
      problems: list.problems.map((p) => ({
        file: p.file,
        ...(p.line !== undefined ? { line: p.line } : {}),
        ...(p.alias !== undefined ? { alias: p.alias.slice(0, 255) } : {}),
        error: p.message.slice(0, 1000),
      })),
      prompts: hosts.pendingPrompts().map(toPromptInfo),
    };
  }

  async #browse(host: string, path: string) {
    const { hosts } = this.#d;
    const session = hosts.session(host);
    if (!session) {
      const v = hosts.view(host);
      if (!v) throw new SshError('config', `there is no host ${host}`);
      throw new RemoteFolderError(`Can't open this folder: ${host} is not connected (${v.status.state}); connect it first`);
    }
    return listRemoteFolders(session, host, path);
  }

  async #projectsChanged<T>(change: () => Promise<T>): Promise<T> {
    const result = await change();
    this.#d.hub.notify('host/ssh/projects/changed', { projects: this.#d.projects.list() });
    return result;
  }

  /** One host changed: say so if what it shows changed; the list changed: compare every host. */
  #onChange(name: string | undefined): void {
    if (this.#disposed) return;
    this.#environments.sync();
    if (name !== undefined) {
      const v = this.#d.hosts.view(name);
      this.#send(name, v ? toSshHostInfo(v) : undefined);
      return;
    }
    this.#listing = this.#listing
      .then(async () => {
        const list = await this.#d.hosts.list();
        const names = new Set<string>();
        for (const v of list.hosts) {
          names.add(v.name);
          this.#send(v.name, toSshHostInfo(v));
        }
        for (const gone of [...this.#sent.keys()]) if (!names.has(gone)) this.#send(gone, undefined);
      })
      .catch((err: unknown) => this.#d.logger.warn('SSH host list not sent', { error: errorMessage(err) }));
  }

  #send(name: string, host: SshHostInfo | undefined): void {
    if (this.#disposed) return;
    const text = host ? JSON.stringify(host) : '';
    if ((this.#sent.get(name) ?? '') === text) return;
    if (host) this.#sent.set(name, text);
    else this.#sent.delete(name);
    this.#d.hub.notify('host/ssh/changed', { name, ...(host ? { host } : {}) });
  }
}

/**
 * Runs a handler; the errors a user can act on (SSH, folder, projects) become a clear RpcError
 * naming the method, with the bare sentence in `data.reason` for UIs.
 */
async function guard<T>(method: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SshError) {
      const code = err.code === 'config' ? RpcErrorCode.InvalidParams : RpcErrorCode.InvalidRequest;
      throw new RpcError(code, `${method}: ${err.message}`, { sshCode: err.code, reason: err.message });
    }
    if (err instanceof RemoteFolderError || err instanceof SshProjectsError) throw new RpcError(RpcErrorCode.InvalidRequest, `${method}: ${err.message}`, { reason: err.message });
    throw err;
  }
}
