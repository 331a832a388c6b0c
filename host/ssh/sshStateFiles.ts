/**
 * The files the SSH hosts keep in the host's data dir (docs/ssh.md, docs/architecture.md
 * "Files in the data dir"). A module of its own, so the composition can list them for the
 * data dir's checks without loading the SSH code.
 */

/** Which hosts are enabled, the hosts added by hand, and this host's instance id. */
export const SSH_HOSTS_FILE = 'ssh-hosts.json';
/** The host keys the user trusted in Codex Host (never `~/.ssh/known_hosts`). */
export const SSH_KNOWN_HOSTS_FILE = 'ssh-known-hosts.json';
/** The remote projects of each host. */
export const SSH_PROJECTS_FILE = 'ssh-projects.json';

/** All of them; each is written atomically. */
export const SSH_STATE_FILES = [SSH_HOSTS_FILE, SSH_KNOWN_HOSTS_FILE, SSH_PROJECTS_FILE] as const;
