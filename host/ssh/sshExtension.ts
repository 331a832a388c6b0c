/**
 * The SSH hosts as a host extension (host/app/hostApp.ts): started by `createHost` when SSH is
 * on (`codex-host serve` unless `--no-ssh`; the desktop app). It opens the `SshHosts` service
 * over the data dir (the hosts enabled earlier connect again in the background; nothing else
 * is contacted), the remote projects, and the `ssh` feature with the environments of the
 * enabled hosts. Disposing it removes those environments and stops every remote engine.
 */
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../shared/util/errors.js';
import { HostStartError, type HostExtension } from '../app/hostApp.js';
import { SshFeature } from './sshFeature.js';
import { SshHosts } from './sshHosts.js';
import { SshProjects } from './sshProjects.js';

/** SSH hosts, as plain data (the `ssh` option of createHost). */
export interface SshConfig {
  /** The ssh config to read (default `~/.ssh/config`; anything else is passed to `ssh -G -F`). */
  readonly configFile?: string;
  /** The host process's environment: HOME, SSH_AUTH_SOCK, and `IdentityAgent $VAR`. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long a password prompt waits for its answer (default 60 s). */
  readonly promptTimeoutMs?: number;
}

export function createSshExtension(config: SshConfig = {}): HostExtension {
  return {
    name: 'ssh',
    async start({ hub, dataDir, logger }) {
      const env = config.env ?? process.env;
      const home = env.HOME || os.homedir();
      // OpenSSH reads ~/.ssh/config from the passwd entry's home, not $HOME: a different HOME
      // (a test, a sandbox) gets its own config passed explicitly.
      const configFile = config.configFile ?? (path.resolve(home) !== path.resolve(os.userInfo().homedir) ? path.join(home, '.ssh', 'config') : undefined);
      let hosts: SshHosts;
      try {
        hosts = await SshHosts.open({
          dataDir,
          home,
          ...(configFile ? { configFile } : {}),
          context: { home, localUser: os.userInfo().username, localHost: os.hostname(), authSock: env.SSH_AUTH_SOCK || undefined, env },
          logger,
          ...(config.promptTimeoutMs ? { promptTimeoutMs: config.promptTimeoutMs } : {}),
        });
      } catch (err) {
        throw new HostStartError(errorMessage(err));
      }
      const projects = await SshProjects.open(dataDir);
      if (projects.problem) logger.warn(projects.problem);
      const feature = new SshFeature({ hub, hosts, projects, logger });
      return {
        features: { ssh: feature.table() },
        describe: () => (projects.problem ? { warnings: [projects.problem] } : {}),
        dispose: async () => {
          feature.dispose();
          await hosts.dispose();
          await projects.flush();
        },
      };
    },
  };
}
