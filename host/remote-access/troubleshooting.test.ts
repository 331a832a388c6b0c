/** The troubleshooting checks as Settings > Connections shows them: one status and fix per case. */
import { describe, expect, it } from 'vitest';
import type { RemoteAccessView } from '../../shared/protocol/features/remoteAccessApi.js';
import { computeChecks, type TroubleshootingInput } from './troubleshooting.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const registered: RemoteAccessView = { enabled: true, state: 'registered', relay: { mode: 'this-network', address: '192.168.1.2' }, relayUrl: 'ws://192.168.1.2:21000', reach: 'local-network', sessions: 1, addresses: [] };
const healthy: TroubleshootingInput = {
  remoteAccess: registered,
  reconnects: 0,
  devices: [{ name: 'Pixel', connected: 1 }],
  revokedDevices: 0,
  keepAwake: { keepAwake: true, held: true, available: true },
  now: NOW,
};

const byId = (i: TroubleshootingInput) => Object.fromEntries(computeChecks(i).map((c) => [c.id, c]));
const statuses = (i: TroubleshootingInput) => Object.fromEntries(computeChecks(i).map((c) => [c.id, c.status]));

describe('troubleshooting checks', () => {
  it('all pass for a registered host on this network with a connected phone, and carry no fix', () => {
    const checks = computeChecks(healthy);
    expect(checks.map((c) => [c.group, c.id, c.status])).toEqual([
      ['not-visible', 'remote-access-on', 'ok'],
      ['not-visible', 'relay-registered', 'ok'],
      ['not-visible', 'relay-reachable', 'ok'],
      ['no-approvals', 'device-trusted', 'ok'],
      ['no-approvals', 'session-open', 'ok'],
      ['disconnects', 'keep-awake', 'ok'],
      ['disconnects', 'relay-steady', 'ok'],
      ['authentication', 'pairing-code', 'ok'],
      ['authentication', 'device-refused', 'ok'],
    ]);
    expect(checks.every((c) => c.fix === undefined && c.action === undefined)).toBe(true);
    expect(byId(healthy)['session-open']!.detail).toBe('Pixel is connected now; approvals reach it at once.');
  });

  it('host not visible: remote access off, relay down, relay on loopback', () => {
    const off = byId({ ...healthy, remoteAccess: { ...registered, enabled: false, state: 'stopped', sessions: 0 }, devices: [{ name: 'Pixel', connected: 0 }] });
    expect(off['remote-access-on']).toMatchObject({ status: 'problem', fix: 'Turn on Allow other devices to connect.', action: 'turn-on-remote-access' });
    expect(off['relay-registered']!.status).toBe('unknown');
    expect(off['session-open']).toMatchObject({ status: 'problem', action: 'turn-on-remote-access' });

    const down = byId({ ...healthy, remoteAccess: { ...registered, relay: { mode: 'url', url: 'wss://r.example.com' }, relayUrl: 'wss://r.example.com', reach: 'anywhere', state: 'disconnected', lastError: 'connect ECONNREFUSED' } });
    expect(down['relay-registered']).toMatchObject({ status: 'problem', detail: 'Not connected to wss://r.example.com: connect ECONNREFUSED. The host keeps retrying.', action: 'relay-url' });

    const loopback = byId({ ...healthy, remoteAccess: { ...registered, relay: { mode: 'this-computer' }, relayUrl: 'ws://127.0.0.1:21000', reach: 'this-computer' } });
    expect(loopback['relay-reachable']).toMatchObject({
      status: 'problem',
      detail: 'The relay (ws://127.0.0.1:21000) listens on this computer only: a phone cannot reach it. Pairing codes still work in a browser on this computer.',
      action: 'relay-this-network',
    });
  });

  it('approvals not appearing: no device, or none connected', () => {
    const none = byId({ ...healthy, devices: [] });
    expect(none['device-trusted']).toMatchObject({ status: 'problem', action: 'pair-device' });
    expect(none['session-open']!.status).toBe('unknown');
    const idle = byId({ ...healthy, devices: [{ name: 'Pixel', connected: 0 }, { name: 'iPad', connected: 0 }, { name: 'Laptop', connected: 0 }] });
    expect(idle['device-trusted']!.detail).toBe('Pixel, iPad and 1 more can control this computer.');
    expect(idle['session-open']).toMatchObject({ status: 'warning', detail: 'No paired device is connected. A device gets approvals only while Codex is open on it.' });
  });

  it('disconnects: keep-awake off, unavailable, on battery, unknown; a relay that dropped', () => {
    expect(byId({ ...healthy, keepAwake: { keepAwake: false, held: false, available: true } })['keep-awake']).toMatchObject({ status: 'warning', action: 'turn-on-keep-awake' });
    expect(byId({ ...healthy, keepAwake: { keepAwake: true, held: false, available: false, unavailableReason: 'systemd-inhibit: not found' } })['keep-awake']!.detail).toBe(
      'Keep-awake is not available here: systemd-inhibit: not found. If the computer sleeps, devices lose the connection.',
    );
    expect(byId({ ...healthy, keepAwake: { keepAwake: true, held: false, available: true, onBattery: true } })['keep-awake']!.detail).toMatch(/^On battery/);
    const { keepAwake: _k, ...withoutPower } = healthy;
    expect(statuses(withoutPower)['keep-awake']).toBe('unknown');
    expect(byId({ ...healthy, reconnects: 3, remoteAccess: { ...registered, lastError: 'the relay closed the connection (1006)' } })['relay-steady']).toMatchObject({
      status: 'warning',
      detail: 'The relay connection dropped 3 times since remote access started (last: the relay closed the connection (1006)). Devices reconnect by themselves.',
    });
  });

  it('authentication: an expired code, a code tried too late, a revoked or unknown device knocking', () => {
    expect(byId({ ...healthy, lastCode: { state: 'expired', expiresAt: NOW - 1000 } })['pairing-code']).toMatchObject({ status: 'warning', action: 'pair-device' });
    expect(byId({ ...healthy, lastCode: { state: 'open', expiresAt: NOW + 5 * 60_000 } })['pairing-code']).toMatchObject({ status: 'ok', detail: 'A pairing code is open for 5 min more.' });
    expect(byId({ ...healthy, lastCode: { state: 'claimed', expiresAt: NOW, deviceName: 'Pixel' } })['pairing-code']!.detail).toBe('The last code paired Pixel.');
    expect(byId({ ...healthy, lastRefused: { reason: 'code-expired', at: NOW - 120_000 } })['pairing-code']).toMatchObject({
      status: 'problem',
      detail: 'A device tried a pairing code that had expired or was replaced (2 min ago).',
    });
    expect(byId({ ...healthy, lastRefused: { reason: 'revoked', name: 'Old phone', at: NOW - 30_000 }, revokedDevices: 1 })['device-refused']).toMatchObject({
      status: 'problem',
      detail: 'Old phone tried to connect 30 s ago, but its access was revoked.',
      action: 'pair-device',
    });
    // An old refusal is history: the check is ok and mentions the revoked device.
    expect(byId({ ...healthy, lastRefused: { reason: 'revoked', name: 'Old phone', at: NOW - 3_600_000 }, revokedDevices: 1 })['device-refused']).toMatchObject({
      status: 'ok',
      detail: 'No device was refused recently. One device was revoked; it must pair again to connect.',
    });
    expect(byId({ ...healthy, lastRefused: { reason: 'unknown-device', at: NOW - 1000 } })['device-refused']!.status).toBe('problem');
  });
});
