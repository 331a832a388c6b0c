import { describe, expect, it } from 'vitest';
import { chooseRemoteState, remoteSubtitle, REMOTE_STATES, type RemoteStateFacts } from './remotesApi.js';

const base: RemoteStateFacts = { removed: false, autoConnect: true, phase: 'open', offline: false, updateRequired: false };

describe('the "Control other devices" subtitle (docs/connections-ui.md)', () => {
  it('has every label of the spec, in its order', () => {
    expect(REMOTE_STATES.map((s) => remoteSubtitle(s, 'Studio Mac', 'relay unreachable'))).toEqual([
      'Removed by Studio Mac',
      'Offline',
      'Update required',
      'Initializing secure connection',
      'Waiting for device',
      'Confirming connection',
      'Connecting',
      'Connection failed · relay unreachable',
      'Connected',
      'Disconnected',
    ]);
    expect(remoteSubtitle('failed', 'x')).toBe('Connection failed');
  });

  it('maps each connection phase to its state', () => {
    const byPhase = (phase: RemoteStateFacts['phase']) => chooseRemoteState({ ...base, phase });
    expect(byPhase('connecting')).toBe('connecting');
    expect(byPhase('handshaking')).toBe('initializing');
    expect(byPhase('confirming')).toBe('confirming');
    expect(byPhase('waiting')).toBe('waiting');
    expect(byPhase('open')).toBe('connected');
    expect(byPhase('retrying')).toBe('failed');
    expect(byPhase('failed')).toBe('failed');
    expect(byPhase('idle')).toBe('connecting');
  });

  it('picks the first state that applies, in the spec\u2019s order', () => {
    // Removed wins over everything, even a toggle that is off.
    expect(chooseRemoteState({ ...base, removed: true, autoConnect: false, offline: true, updateRequired: true })).toBe('removed');
    // Nothing is contacted while the toggle is off, so nothing else is known.
    expect(chooseRemoteState({ ...base, autoConnect: false, offline: true, phase: 'retrying' })).toBe('disconnected');
    expect(chooseRemoteState({ ...base, updateRequired: true, offline: true, phase: 'retrying' })).toBe('updateRequired');
    expect(chooseRemoteState({ ...base, offline: true, phase: 'retrying' })).toBe('offline');
    // A new attempt stays "Offline" until the relay answers it (no flicker at every retry)…
    expect(chooseRemoteState({ ...base, offline: true, phase: 'connecting' })).toBe('offline');
    // …and shows its own phase once the handshake runs.
    expect(chooseRemoteState({ ...base, offline: true, phase: 'handshaking' })).toBe('initializing');
  });
});
