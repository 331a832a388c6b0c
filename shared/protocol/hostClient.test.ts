import { describe, expect, it } from 'vitest';
import { RpcConnection } from '../rpc/connection.js';
import { createMemoryTransportPair } from '../rpc/memoryTransport.js';
import { HostClient } from './hostClient.js';

function pair() {
  const [a, b] = createMemoryTransportPair();
  const server = new RpcConnection(b);
  const problems: string[] = [];
  const client = new HostClient(new RpcConnection(a, { requestTimeoutMs: 1000 }), { onProtocolError: (p) => problems.push(p) });
  const seen: unknown[] = [];
  b.onMessage((t) => seen.push(JSON.parse(t)));
  return { server, client, seen, problems };
}

const device = { deviceId: 'a'.repeat(32), name: 'Pixel', platform: 'android', kind: 'phone', pairedAt: '2026-01-01T00:00:00Z', lastSeen: null, revokedAt: null, connected: 1 };

describe('HostClient', () => {
  it('sends checked params and returns the parsed result', async () => {
    const { server, client, seen } = pair();
    server.onRequest('host/devices/revoke', (p) => ({ revoked: (p as { deviceId: string }).deviceId === 'a'.repeat(32), closedSessions: 2 }));
    await expect(client.call('host/devices/revoke', { deviceId: 'a'.repeat(32) })).resolves.toEqual({ revoked: true, closedSessions: 2 });
    expect(seen).toEqual([{ id: 1, method: 'host/devices/revoke', params: { deviceId: 'a'.repeat(32) } }]);
  });

  it('refuses bad params before anything is sent', async () => {
    const { client, seen } = pair();
    // @ts-expect-error the map types the params: a number is not a device id
    await expect(client.call('host/devices/revoke', { deviceId: 42 })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('host/devices/revoke params: deviceId') });
    await expect(client.call('host/devices/rename', { deviceId: 'a'.repeat(32), name: 'evil\u202ename' })).rejects.toMatchObject({
      code: -32602,
      message: 'host/devices/rename params: name: must not contain control or bidirectional-override characters',
    });
    expect(seen).toEqual([]);
  });

  it('rejects a result that does not match the map', async () => {
    const { server, client } = pair();
    server.onRequest('host/devices/list', () => ({ devices: [{ ...device, kind: 'toaster' }] }));
    await expect(client.call('host/devices/list')).rejects.toMatchObject({ code: -32055, message: expect.stringMatching(/^the host answered host\/devices\/list with an unexpected result \(devices\.0\.kind: /) });
  });

  it('passes the host\'s error through', async () => {
    const { client, server } = pair();
    server.onRequest('host/pairing/start', () => {
      throw new (class extends Error {})('boom');
    });
    await expect(client.call('host/pairing/start')).rejects.toMatchObject({ code: -32603, message: 'Internal error' });
  });

  it('delivers parsed notifications and reports malformed ones instead', async () => {
    const { client, server, problems } = pair();
    const got: unknown[] = [];
    client.on('host/devices/changed', (p) => got.push(p));
    server.notify('host/devices/changed', { change: 'revoked', device });
    server.notify('host/devices/changed', { change: 'exploded', device });
    await expect.poll(() => got.length + problems.length).toBe(2);
    expect(got).toEqual([{ change: 'revoked', device }]);
    expect(problems[0]).toMatch(/^host\/devices\/changed params: change: /);
  });

  it('subscribes to notifications', async () => {
    const { client, server, seen } = pair();
    server.onRequest('host/notifications/subscribe', (p) => ({ methods: (p as { methods?: string[] }).methods ?? ['host/busy/changed'] }));
    await expect(client.subscribe()).resolves.toEqual(['host/busy/changed']);
    await expect(client.subscribe(['host/engine/changed'])).resolves.toEqual(['host/engine/changed']);
    expect(seen).toEqual([
      { id: 1, method: 'host/notifications/subscribe', params: {} },
      { id: 2, method: 'host/notifications/subscribe', params: { methods: ['host/engine/changed'] } },
    ]);
  });
});
