/**
 * Remote access with real processes on loopback (docs/protocol.md): a standalone relay process, a
 * `codex-host serve` process over the real engine (fake model API), and a controller built on
 * the shared controller library. Pairing, a turn with an approval through the relay, drop and
 * resume, revocation mid-session, pairing again, used and wrong codes, a hostile relay, relay
 * limits, and a relay restart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { parsePairingLink, encodePairingLink } from '../shared/pairing/pairingLink.js';
import { generateIdentity, sign } from '../shared/crypto/identity.js';
import { transcriptHash } from '../shared/crypto/keySchedule.js';
import { LABEL_HOST } from '../shared/crypto/labels.js';
import { concatBytes, fromHex } from '../shared/util/encoding.js';
import { connectController, pair, resume, type TrustedHost } from '../shared/controller/index.js';
import type { RemoteSessionError } from '../shared/controller/remoteSessionError.js';
import { initialize, runTurn } from './fixtures/appServer.js';
import { testPhone } from './fixtures/controller.js';
import { flipBit, startHostileRelay, type HostileRelay, type Tamper } from './fixtures/hostileRelay.js';
import { useStack, type PairedDevice } from './fixtures/stack.js';

const stack = useStack({ label: 'remote', relay: 'process', hostArgs: ['--name', 'Remote Test Host'] });

describe('remote access through a relay process', () => {
  it('pairs with the link and runs a turn with an approval end to end', async () => {
    expect(stack.host.relayUrl).toBe(stack.relay.url);
    const r = await stack.cli(['pair', '--json']);
    expect(r.stderr).toBe('');
    const { link, expiresAt } = JSON.parse(r.stdout) as { link: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    const phone = testPhone('Test Phone');
    const paired = await pair(link, phone.deps, { reconnect: false });
    const session = stack.track(paired.session);
    expect(session.state).toBe('open');
    expect(session.host).toMatchObject({ id: stack.host.hostId, name: 'Remote Test Host' });
    expect(paired.trustedHost).toMatchObject({ hostId: stack.host.hostId, relay: stack.relay.url, name: 'Remote Test Host' });

    const rpc = session.rpc;
    await initialize(rpc, 'test-phone', 'Test Phone');
    const turn = await runTurn(rpc, { cwd: stack.home.workdir, text: 'please RUN touch from-phone.txt && echo shell-ran-ok' });
    expect(turn.status).toBe('completed');
    expect(turn.approvals).toHaveLength(1);
    expect(existsSync(join(stack.home.workdir, 'from-phone.txt'))).toBe(true);

    const info = (await rpc.request('host/info')) as { clients: { kind: string; id: string; name: string }[] };
    expect(info.clients).toContainEqual(expect.objectContaining({ kind: 'phone', id: phone.deviceId, name: 'Test Phone' }));
    // What the operator sees in `codex-host devices --json`.
    const listed = JSON.parse((await stack.cli(['devices', '--json'])).stdout) as { devices: { deviceId: string }[] };
    expect(listed.devices.find((d) => d.deviceId === phone.deviceId)).toMatchObject({ name: 'Test Phone', revokedAt: null, connected: 1 });
  });

  it('refuses a used code and a code with a wrong secret (4403 expired), leaving the host unharmed', async () => {
    const link = await stack.pairLink();
    const first = await pair(link, testPhone('Other Phone').deps, { reconnect: false });
    stack.track(first.session);
    await expect(pair(link, testPhone('Thief').deps, { reconnect: false })).rejects.toMatchObject({ kind: 'expired', closeCode: 4403 } satisfies Partial<RemoteSessionError>);
    const fresh = parsePairingLink(await stack.pairLink());
    const forged = encodePairingLink({ ...fresh, secret: new Uint8Array(32).fill(7) }, fresh.relay.replace('ws://', 'http://'));
    await expect(pair(forged, testPhone('Forger').deps, { reconnect: false })).rejects.toMatchObject({ kind: 'expired', closeCode: 4403 });
  });

  it('renames a device (clean names only) and resumes after the connection drops', async () => {
    const { phone, trusted } = await stack.pairDevice('Test Phone');
    const bad = await stack.cli(['devices', 'rename', phone.deviceId, 'tab\there']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/devices rename: .*must not contain control or bidirectional-override characters/);
    const ok = await stack.cli(['devices', 'rename', phone.deviceId, 'Work phone']);
    expect(ok.stdout).toContain(`Renamed ${phone.deviceId} to "Work phone".`);
    const s = stack.track(await resume(trusted, phone.deps, { reconnect: false }));
    expect(s.device?.name).toBe('Work phone');
    await initialize(s.rpc, 'test-phone', 'Test Phone');
    await runTurn(s.rpc, { cwd: stack.home.workdir, text: 'Please say hello.' });
    const list = (await s.rpc.request('thread/list', { limit: 10 })) as { data: unknown[] };
    expect(list.data.length).toBeGreaterThan(0);
  });

  it('revokes a device mid-session: closed with 4403 within a second, later resumes denied, pairing again works', async () => {
    const { phone, trusted } = await stack.pairDevice('Test Phone');
    const s = stack.track(await resume(trusted, phone.deps, { reconnect: false }));
    await initialize(s.rpc, 'test-phone', 'Test Phone');
    const denied = new Promise<{ at: number; error: RemoteSessionError | undefined }>((resolve) =>
      s.onStateChange((state, error) => {
        if (state === 'denied' || state === 'closed') resolve({ at: Date.now(), error });
      }),
    );
    const r = await stack.cli(['devices', 'revoke', phone.deviceId]);
    const revokedAt = Date.now();
    expect(r.stdout).toMatch(new RegExp(`Revoked ${phone.deviceId}; ended 1 live session`));
    const outcome = await denied;
    expect(outcome.at - revokedAt).toBeLessThan(1000);
    expect(outcome.error).toMatchObject({ closeCode: 4403, deniedReason: 'revoked' });
    await expect(resume(trusted, phone.deps, { reconnect: false })).rejects.toMatchObject({ kind: 'denied', deniedReason: 'revoked' });

    const again = await pair(await stack.pairLink(), phone.deps, { reconnect: false });
    stack.track(again.session);
    await initialize(again.session.rpc, 'test-phone', 'Test Phone');
    const mine = (await stack.devices()).filter((d) => d.deviceId === phone.deviceId);
    expect(mine.map((d) => d.revokedAt === null)).toEqual([false, true]);
    again.session.close();
    const back = stack.track(await resume(again.trustedHost, phone.deps, { reconnect: false }));
    expect(back.device?.name).toBe('Test Phone');
  });

  it('resumes for an unknown device are denied', async () => {
    const { trusted } = await stack.pairDevice('Owner Phone');
    await expect(resume(trusted, testPhone('Stranger').deps, { reconnect: false })).rejects.toMatchObject({ kind: 'denied', deniedReason: 'unknown_device' });
  });
});

describe('a hostile relay', () => {
  let evil: HostileRelay;
  let owner: PairedDevice;
  beforeAll(async () => {
    evil = await startHostileRelay(stack.relay.url);
    owner = await stack.pairDevice('Owner Phone');
  });
  // A failed attack must not leave its tamper on for the next test.
  afterEach(() => evil.setTamper(undefined));
  afterAll(async () => evil?.close());

  const viaEvil = (): TrustedHost => ({ ...owner.trusted, relay: evil.url });

  /** Opens a resumed session through the hostile relay and sends two messages once open. */
  async function attack(tamper: Tamper): Promise<{ error: RemoteSessionError | undefined; opened: boolean }> {
    evil.setTamper(tamper);
    const s = stack.track(connectController({ mode: 'resume', host: viaEvil() }, owner.phone.deps, { reconnect: false, handshakeTimeoutMs: 5000 }));
    let opened = false;
    try {
      await s.opened;
      opened = true;
      void s.rpc.request('initialize', { clientInfo: { name: 'victim', version: '0' } }, { timeoutMs: 5000 }).catch(() => {});
      s.rpc.notify('initialized');
      void s.rpc.request('thread/list', { limit: 1 }, { timeoutMs: 5000 }).catch(() => {});
    } catch {
      // handshake-time attacks fail `opened`
    }
    await new Promise<void>((resolve) => {
      if (s.state === 'closed' || s.state === 'denied') resolve();
      s.onStateChange((st) => (st === 'closed' || st === 'denied') && resolve());
      setTimeout(resolve, 8000);
    });
    const result = { error: s.error, opened };
    s.close();
    evil.setTamper(undefined);
    return result;
  }

  async function hostStillWorks(): Promise<void> {
    const s = stack.track(await resume(owner.trusted, owner.phone.deps, { reconnect: false }));
    await initialize(s.rpc, 'test-phone', 'Test Phone');
    await expect(s.rpc.request('host/info')).resolves.toMatchObject({ engine: { state: 'running' } });
    s.close();
  }

  const cases: [string, Tamper, (r: { error: RemoteSessionError | undefined; opened: boolean }) => void][] = [
    ['flips a bit in a controller record', (d, i, p) => [d === 'c2h' && i === 2 ? flipBit(p, -3) : p], (r) => expect(r.error).toMatchObject({ kind: 'protocol', closeCode: 4400 })],
    ['flips a bit in a host record', (d, i, p) => [d === 'h2c' && i === 2 ? flipBit(p, 20) : p], (r) => expect(r.error?.kind).toBe('protocol')],
    ['replays a controller record', (d, i, p) => (d === 'c2h' && i === 2 ? [p, p] : [p]), (r) => expect(r.error).toMatchObject({ kind: 'protocol', closeCode: 4400 })],
    ['drops a controller record', (d, i, p) => (d === 'c2h' && i === 2 ? [] : [p]), (r) => expect(r.error).toMatchObject({ kind: 'protocol', closeCode: 4400 })],
    [
      'reorders controller records',
      (() => {
        let held: Buffer | undefined;
        return (d: string, i: number, p: Buffer) => {
          if (d === 'c2h' && i === 2) {
            held = p;
            return [];
          }
          if (d === 'c2h' && i === 3 && held) return [p, held];
          return [p];
        };
      })(),
      (r) => expect(r.error).toMatchObject({ kind: 'protocol', closeCode: 4400 }),
    ],
    [
      'substitutes the host key in the ServerHello',
      (d, i, p, ctx) => {
        if (d !== 'h2c' || i !== 0 || !ctx.sid || !ctx.clientHello) return [p];
        const attacker = generateIdentity();
        const hostEph = p.subarray(2, 34);
        const hostNonce = p.subarray(34, 66);
        const th = transcriptHash(fromHex(ctx.sid), ctx.clientHello, attacker.publicKey, hostEph, hostNonce);
        return [Buffer.concat([p.subarray(0, 66), Buffer.from(sign(attacker, concatBytes(LABEL_HOST, th)))])];
      },
      (r) => {
        expect(r.opened).toBe(false);
        expect(r.error?.kind).toBe('host_key');
      },
    ],
    [
      'substitutes the ClientHello',
      (d, i, p) => {
        if (d !== 'c2h' || i !== 0) return [p];
        const fakeEph = ed25519.utils.toMontgomery(generateIdentity().publicKey);
        return [Buffer.concat([p.subarray(0, 3), Buffer.from(fakeEph), p.subarray(35)])];
      },
      (r) => {
        expect(r.opened).toBe(false);
        expect(r.error?.kind).toBe('host_key');
      },
    ],
  ];
  for (const [what, tamper, check] of cases) {
    it(`${what}: detected, session closed, host unharmed`, async () => {
      check(await attack(tamper));
      await hostStillWorks();
    }, 40_000);
  }
});
