#!/usr/bin/env node
// Makes sure the Debian packages the tests drive for real are present (tmux for the real TUI,
// keyutils, dbus and gnome-keyring for the OS secret stores, later chromium, openssh-server,
// redis-server). As root it installs what is missing with apt; otherwise it prints exactly what
// to install and fails, so no test is ever silently skipped.
import { execFileSync, spawnSync } from 'node:child_process';

/** command on PATH → Debian package that provides it */
const REQUIRED = [
  { command: 'tmux', pkg: 'tmux', why: 'runs the real `codex --remote` TUI in e2e tests' },
  { command: 'keyctl', pkg: 'keyutils', why: 'a private kernel keyring session for the OS secret store test' },
  { command: '/usr/sbin/sshd', pkg: 'openssh-server', why: 'the real sshd the SSH host tests connect to' },
  { command: 'ssh', pkg: 'openssh-client', why: 'ssh -G resolves SSH host aliases in the SSH tests' },
  { command: 'csh', pkg: 'csh', why: 'a csh login shell for the SSH remote-engine tests' },
  { command: 'tcsh', pkg: 'tcsh', why: 'a tcsh login shell for the SSH remote-engine tests' },
  { command: 'fish', pkg: 'fish', why: 'a fish login shell for the SSH remote-engine tests' },
  { command: 'zsh', pkg: 'zsh', why: 'a zsh login shell for the SSH remote-engine tests' },
  { command: 'dbus-run-session', pkg: 'dbus-daemon', why: 'a private D-Bus session for the Secret Service test' },
  { command: 'gnome-keyring-daemon', pkg: 'gnome-keyring', why: 'a throw-away Secret Service for the OS secret store test' },
  { command: 'chromium', pkg: 'chromium', why: 'the real browser the renderer e2e tests drive (e2e/app, Playwright) and the app icon render (npm run icons)' },
];

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemDeps() {
  const missing = REQUIRED.filter((r) => !has(r.command));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = has('apt-get');
  if (!isRoot || !hasApt) {
    console.error('The tests need these system packages, which are missing:');
    for (const m of missing) console.error(`  ${m.pkg} (${m.command}: ${m.why})`);
    console.error(hasApt ? `Install them with: sudo apt-get install -y ${pkgs.join(' ')}` : `Install them with your package manager: ${pkgs.join(' ')}`);
    process.exit(1);
  }
  console.log(`[system-deps] installing ${pkgs.join(', ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  const still = missing.filter((m) => !has(m.command));
  if (still.length) {
    console.error(`[system-deps] still missing after install: ${still.map((m) => m.command).join(', ')}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemDeps();
