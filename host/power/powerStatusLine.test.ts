import { describe, expect, it } from 'vitest';
import type { PowerState } from '../../shared/protocol/features/powerApi.js';
import { keepAwakeStatusLine } from './powerStatusLine.js';

const base: PowerState = { keepAwake: true, held: false, reasons: [], runningTurns: 0, remoteAccess: false, available: true, mechanism: 'systemd-inhibit' };

describe('the keep-awake line of codex-host status', () => {
  it.each<[string, Partial<PowerState>, string]>([
    ['held for a turn', { held: true, reasons: ['turn'], runningTurns: 1 }, 'held by systemd-inhibit: a turn is running (setting on)'],
    ['held for both reasons', { held: true, reasons: ['remote-access', 'turn'], remoteAccess: true }, 'held by systemd-inhibit: remote access is on, a turn is running (setting on)'],
    ['not available', { reasons: ['turn'], available: false, unavailableReason: 'systemd-inhibit: Failed to connect to bus: No such file or directory' }, 'not available here: systemd-inhibit: Failed to connect to bus: No such file or directory (setting on)'],
    ['a start in flight', { reasons: ['turn'] }, 'starting: a turn is running (setting on)'],
    ['on battery with remote access on', { remoteAccess: true, onBattery: true }, 'not held: on battery (setting on)'],
    ['nothing needs it, setting off', { keepAwake: false, remoteAccess: true }, 'not held: no turn is running (setting off)'],
  ])('%s', (_name, patch, text) => {
    expect(keepAwakeStatusLine({ ...base, ...patch })).toBe(`  awake:    ${text}`);
  });
});
