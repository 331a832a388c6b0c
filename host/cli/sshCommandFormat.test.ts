import { describe, expect, it } from 'vitest';
import type { SshHostInfo } from '../../shared/protocol/features/sshApi.js';
import { connectedLine, errorLine, listText, phaseLine, promptElsewhereLine, stateText } from './sshCommandFormat.js';

const base: SshHostInfo = { name: 'box', source: 'manual', enabled: true, listed: true, environmentId: 'ssh:box', state: 'connecting', disconnects: 0, details: { hostName: '10.0.0.2', port: 2222, user: 'bob', identityFiles: [], via: [] } };

describe('ssh CLI texts', () => {
  it('names the state with its phase or the retry delay', () => {
    expect(stateText({ ...base, phase: 'checking-codex' })).toBe('connecting (checking codex)');
    expect(stateText({ ...base, state: 'disconnected', retryInMs: 3600 })).toBe('disconnected (retrying in 4 s)');
    expect(stateText({ ...base, state: 'connected', phase: 'ready' })).toBe('connected');
    expect(phaseLine('starting-engine')).toBe('  starting the remote engine…');
  });

  it('says where a connected host runs and in which environment', () => {
    expect(connectedLine({ ...base, state: 'connected', details: { ...base.details, remote: { codexVersion: '0.171.0', shell: '/bin/zsh', user: 'bob' } } })).toBe(
      'box: connected — codex 0.171.0 as bob on bob@10.0.0.2:2222 (environment ssh:box)',
    );
  });

  it('puts an error on one line, with the next command for an unknown key and the fix otherwise', () => {
    const unknown = { ...base, state: 'error' as const, lastError: { code: 'host-key-unknown' as const, message: 'Host key unknown — fingerprint SHA256:x (ssh-ed25519); check it with the host\'s owner, then trust it', fix: 'f', fingerprint: 'SHA256:x' } };
    expect(errorLine(unknown)).toBe("box: Host key unknown — fingerprint SHA256:x (ssh-ed25519); check it with the host's owner, then trust it: run `codex-host ssh trust box` to trust it");
    expect(errorLine({ ...base, state: 'error', lastError: { code: 'sign-in', message: 'Sign in to Codex on this host: run codex login there (as bob), then restart the connection', fix: 'f' } })).toBe(
      'box: Sign in to Codex on this host: run codex login there (as bob), then restart the connection',
    );
    expect(errorLine({ ...base, state: 'error', lastError: { code: 'connect', message: '10.0.0.2:2222 refused the connection (is sshd running there?)', fix: 'Check that sshd runs.' } })).toBe(
      'box: 10.0.0.2:2222 refused the connection (is sshd running there?) Check that sshd runs.',
    );
    for (const line of [errorLine(unknown)]) expect(line).not.toContain('\n');
  });

  it('tells where to answer a prompt when there is no terminal', () => {
    const line = promptElsewhereLine({ promptId: '0123456789abcdef', host: 'pw', kind: 'password', title: 'Password for a@pw', instructions: '', prompts: [{ text: 'Password:', echo: false }], expiresAt: '2026-01-01T00:01:00.000Z' }, Date.parse('2026-01-01T00:00:15Z'));
    expect(line).toBe('pw: Password for a@pw: standard input is not a terminal, so it cannot be asked here; run this command in a terminal, or answer it in the desktop app (Settings > Connections > SSH) within 45 s');
  });

  it('lists hosts in columns, the config problems and waiting prompts', () => {
    const lines = listText({
      configFile: '/h/.ssh/config',
      hosts: [
        { ...base, state: 'connected', phase: 'ready', details: { ...base.details, remote: { codexVersion: '0.171.0', shell: '/bin/sh', user: 'bob' } } },
        { name: 'devbox-long', source: 'config', enabled: false, listed: false, state: 'disabled', disconnects: 0, details: { identityFiles: [], via: [] } },
        { ...base, name: 'pw', state: 'error', lastError: { code: 'auth', message: 'bob@pw refused every key and password offered; check the user, IdentityFile and the agent', fix: 'f' } },
      ],
      problems: [{ file: '/h/.ssh/config', line: 4, alias: 'broken', error: 'line 4: Unexpected line break at broken' }],
      prompts: [],
    });
    expect(lines).toEqual([
      'SSH hosts (from /h/.ssh/config and added by hand):',
      '  box          added   enabled   connected  bob@10.0.0.2:2222  codex 0.171.0',
      '  devbox-long  config  disabled  disabled',
      '  pw           added   enabled   error      bob@pw refused every key and password offered; check the user, IdentityFile and the agent',
      'Entries of the ssh config that could not be read:',
      '  /h/.ssh/config line 4 (broken): line 4: Unexpected line break at broken',
      'Enable a host with `codex-host ssh enable NAME`; add one with `codex-host ssh add NAME user@host[:port] [--identity FILE]`.',
    ]);
    expect(listText({ configFile: '/h/.ssh/config', hosts: [], problems: [], prompts: [] })[0]).toBe('No SSH hosts: none in /h/.ssh/config, none added by hand.');
  });
});
