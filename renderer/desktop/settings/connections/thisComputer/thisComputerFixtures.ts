/** Host answers for the "Control this computer" tests (shapes of docs/host-api.md). */
import type { RemoteAccessView } from '../../../../../shared/protocol/features/remoteAccessApi';
import type { TrustedDevice } from '../../../../../shared/protocol/hostSchemas';
import { FakeHostSession } from '../fakeHostSession';

export function device(over: Partial<TrustedDevice> = {}): TrustedDevice {
  return {
    deviceId: 'a'.repeat(32),
    name: 'Test Phone',
    platform: 'ios',
    kind: 'phone',
    pairedAt: '2026-11-30T10:00:00.000Z',
    lastSeen: null,
    revokedAt: null,
    connected: 0,
    ...over,
  };
}

export function remoteView(over: Partial<RemoteAccessView> = {}): RemoteAccessView {
  return {
    enabled: true,
    state: 'registered',
    relay: { mode: 'this-computer' },
    relayUrl: 'ws://127.0.0.1:41234',
    reach: 'this-computer',
    embeddedListening: '127.0.0.1:41234',
    sessions: 0,
    addresses: [{ address: '192.168.1.20', interface: 'eth0', family: 'IPv4' }],
    ...over,
  };
}

/** A host with remote access on, the given devices, no activity, and every check ok. */
export function fakeHost(devices: TrustedDevice[] = []): FakeHostSession {
  let view = remoteView();
  return new FakeHostSession()
    .on('host/notifications/subscribe', () => ({ methods: [] }))
    .on('host/devices/list', () => ({ devices }))
    .on('host/remoteAccess/get', () => view)
    .on('host/remoteAccess/set', (p) => {
      view = { ...view, enabled: (p as { enabled: boolean }).enabled, state: (p as { enabled: boolean }).enabled ? 'registered' : 'stopped' };
      return view;
    })
    .on('host/remoteAccess/checks', () => ({ checks: [], checkedAt: '2026-12-01T00:00:00.000Z' }))
    .on('host/audit/list', () => ({ entries: [], unreadable: 0 }))
    .on('host/pairing/start', () => ({
      link: 'http://127.0.0.1:41234/pair#p=abc',
      exp: 1,
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      pairId: '0123456789abcdef',
      qr: { terminal: '', svg: '', pngDataUrl: '' },
    }));
}
