import { describe, expect, it } from 'vitest';
import { environmentStatus, sshStatus } from './sshLabels';

describe('SSH status words', () => {
  it('say what the host reports: Connecting… with its phase, Connected, Disconnected, Error', () => {
    expect(sshStatus({ state: 'connecting', phase: 'checking-codex' })).toEqual({ text: 'Connecting… checking Codex', tone: 'warning' });
    expect(sshStatus({ state: 'connecting' })).toEqual({ text: 'Connecting…', tone: 'warning' });
    expect(sshStatus({ state: 'connected', phase: 'ready' }).text).toBe('Connected');
    expect(sshStatus({ state: 'disabled' }).text).toBe('Disconnected');
    expect(sshStatus({ state: 'disconnected', retryInMs: 4200 }).text).toBe('Disconnected · retrying in 4 s');
    expect(sshStatus({ state: 'error' })).toEqual({ text: 'Error', tone: 'danger' });
  });

  it('say the same for an environment of the hub', () => {
    expect(environmentStatus({ state: 'running' })?.text).toBe('Connected');
    expect(environmentStatus({ state: 'restarting', phase: 'authenticating' })?.text).toBe('Connecting… signing in');
    expect(environmentStatus({ state: 'failed' })?.text).toBe('Error');
    expect(environmentStatus({})).toBeUndefined();
  });
});
