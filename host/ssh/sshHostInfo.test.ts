import { describe, expect, it } from 'vitest';
import { SshHostInfoSchema, SshPromptSchema } from '../../shared/protocol/features/sshApi.js';
import { EnvironmentIdSchema } from '../../shared/protocol/hostMethods.js';
import { SSH_ERROR_CODES } from './sshErrors.js';
import { environmentIdOf, SSH_ERROR_FIXES, toErrorInfo, toPromptInfo, toSshHostInfo } from './sshHostInfo.js';
import type { SshHostView } from './sshHosts.js';

const idle = { state: 'disabled', phase: undefined, lastError: undefined, target: undefined, remote: undefined, disconnects: 0, retryInMs: undefined } as const;

describe('environmentIdOf', () => {
  it('is ssh:<alias> for ordinary aliases, and a valid id with a hash for the others', () => {
    expect(environmentIdOf('devbox')).toBe('ssh:devbox');
    expect(environmentIdOf('me@web.prod-1')).toBe('ssh:me@web.prod-1');
    const odd = ['_under', 'a/b+c', 'x'.repeat(200), 'ünïcode', '%h'];
    const ids = odd.map(environmentIdOf);
    for (const id of ids) expect(EnvironmentIdSchema.safeParse(id).success, id).toBe(true);
    expect(new Set(ids).size).toBe(odd.length);
    expect(environmentIdOf('a/b+c')).toMatch(/^ssh:a-b-c-[0-9a-f]{8}$/);
    // stable: the same alias always gets the same id
    expect(environmentIdOf('a/b+c')).toBe(ids[1]);
  });
});

describe('toSshHostInfo', () => {
  it('shows a manual host before it connects with what was entered', () => {
    const view: SshHostView = { name: 'box', source: 'manual', manual: { name: 'box', user: 'bob', hostName: '10.0.0.2', port: 2222, identityFile: '/k/id' }, enabled: false, listed: true, status: idle };
    const info = toSshHostInfo(view);
    expect(info).toEqual({ name: 'box', source: 'manual', enabled: false, listed: true, state: 'disabled', disconnects: 0, details: { hostName: '10.0.0.2', port: 2222, user: 'bob', identityFiles: ['/k/id'], via: [] } });
    expect(SshHostInfoSchema.parse(info)).toEqual(info);
  });

  it('shows a connected config host with its environment, resolved settings and remote codex', () => {
    const view: SshHostView = {
      name: 'devbox',
      source: 'config',
      file: '/h/.ssh/config',
      line: 3,
      enabled: true,
      listed: true,
      status: { ...idle, state: 'connected', phase: 'ready', target: { hostName: 'dev.example', port: 22, user: 'al', identityFiles: ['/h/.ssh/id_ed25519'], via: ['jump'] }, remote: { codexVersion: '0.171.0', shell: '/bin/zsh', user: 'al' } },
    };
    expect(toSshHostInfo(view)).toEqual({
      name: 'devbox',
      source: 'config',
      file: '/h/.ssh/config',
      line: 3,
      enabled: true,
      listed: true,
      environmentId: 'ssh:devbox',
      state: 'connected',
      phase: 'ready',
      disconnects: 0,
      details: { hostName: 'dev.example', port: 22, user: 'al', identityFiles: ['/h/.ssh/id_ed25519'], via: ['jump'], remote: { codexVersion: '0.171.0', shell: '/bin/zsh', user: 'al' } },
    });
  });

  it('gives every error code a fix, and the fingerprint of an unknown key (never the key itself)', () => {
    for (const code of SSH_ERROR_CODES) expect(SSH_ERROR_FIXES[code].length).toBeGreaterThan(10);
    const e = toErrorInfo({ code: 'host-key-unknown', message: 'Host key unknown — fingerprint SHA256:abc (ssh-ed25519); …', details: { host: '[h]:22', fingerprint: 'SHA256:abc', keyType: 'ssh-ed25519', key: 'AAAAC3Nz' } });
    expect(e).toEqual({ code: 'host-key-unknown', message: 'Host key unknown — fingerprint SHA256:abc (ssh-ed25519); …', fix: SSH_ERROR_FIXES['host-key-unknown'], fingerprint: 'SHA256:abc', keyType: 'ssh-ed25519' });
    expect(toErrorInfo({ code: 'codex-too-old', message: 'Update Codex', details: { found: '0.100.0', need: '0.169.0' } })).toMatchObject({ foundVersion: '0.100.0', neededVersion: '0.169.0' });
    expect(toErrorInfo({ code: 'host-key-changed', message: 'x', details: { expected: 'SHA256:old', fingerprint: 'SHA256:new' } })).toMatchObject({ expectedFingerprint: 'SHA256:old', fingerprint: 'SHA256:new' });
  });
});

describe('toPromptInfo', () => {
  it('carries the question and its deadline, in the wire shape', () => {
    const p = toPromptInfo({ id: '0123456789abcdef', expiresAt: Date.parse('2026-01-01T00:01:00Z'), request: { host: 'pw', kind: 'password', title: 'Password for a@pw', instructions: '', prompts: [{ text: 'Password:', echo: false }] } });
    expect(p).toEqual({ promptId: '0123456789abcdef', host: 'pw', kind: 'password', title: 'Password for a@pw', instructions: '', prompts: [{ text: 'Password:', echo: false }], expiresAt: '2026-01-01T00:01:00.000Z' });
    expect(SshPromptSchema.parse(p)).toEqual(p);
  });
});
