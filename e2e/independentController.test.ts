/**
 * Conformance: a controller that knows only the spec (docs/remote-protocol.md)
 * pairs with a host through our relay and runs a turn with an approval.
 *
 * The controller (fixtures/specController.ts) is written from the spec text alone, on
 * node:crypto and `ws`; it imports none of the project's protocol code. It is first checked
 * byte for byte against remote-protocol-vectors.json, then used against real processes on
 * loopback: a standalone relay, `codex-host serve --relay …` over the real engine (fake model).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialize, nextNotification, runTurn, TURN_MS, within } from './fixtures/appServer.js';
import { REPO_ROOT } from './fixtures/hostProcess.js';
import { useStack } from './fixtures/stack.js';
import {
  DIR_C2H,
  DIR_H2C,
  LABEL_HOST,
  LABEL_REGISTER,
  MODE_PAIR,
  MODE_RESUME,
  clientAuthJson,
  clientHello,
  deriveKeys,
  ed25519FromSeed,
  ed25519Sign,
  ed25519Verify,
  keyId,
  openRecord,
  pairIdOf,
  pairWithLink,
  resumeWith,
  parsePairingLink,
  parseServerHello,
  sealRecord,
  transcriptHash,
  x25519,
  x25519FromPrivate,
  b64u,
  newEd25519,
  type Ed25519Identity,
  type KnownHost,
  type SpecProtocolError,
} from './fixtures/specController.js';

// ---------------------------------------------------------------------------------------------
// The independent implementation against the published vectors.
// ---------------------------------------------------------------------------------------------

// The team's published vectors when the spec folder sits beside the repo; otherwise the
// byte-identical copy the repository carries (never skipped).
const SPEC_VECTORS = join(process.env.CODEX_REMOTE_SPEC_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'spec'), 'remote-protocol-vectors.json');
const VECTORS_PATH = existsSync(SPEC_VECTORS) ? SPEC_VECTORS : join(REPO_ROOT, 'shared', 'testing', 'remote-protocol-vectors.json');

interface ModeVectors {
  client_hello: string;
  transcript_hash: string;
  server_hello: string;
  x25519_shared: string;
  key_c2h: string;
  key_h2c: string;
  client_auth_json: string;
  record_c2h_0: string;
  welcome_json: string;
  record_h2c_0: string;
  rpc_json: string;
  record_c2h_1: string;
}
interface Vectors {
  inputs: Record<
    'host_ed25519_seed' | 'device_ed25519_seed' | 'client_x25519_private' | 'host_x25519_private' | 'client_nonce' | 'host_nonce' | 'pairing_secret' | 'register_nonce' | 'sid',
    string
  >;
  identities: { host_key: string; host_id: string; device_key: string; device_id: string };
  pairing_link: { json: string; url: string; pair_id: string };
  register: { signature: string };
  pair: ModeVectors;
  resume: ModeVectors;
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const msg = (json: string): Buffer => Buffer.concat([Buffer.from([0x00]), Buffer.from(json, 'utf8')]);

describe('spec controller vs vectors', () => {
  const v = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;
  const hostIdentity = () => ed25519FromSeed(hex(v.inputs.host_ed25519_seed));
  const deviceIdentity = () => ed25519FromSeed(hex(v.inputs.device_ed25519_seed));

  it('identities, pairing link, pairId and the register signature', () => {
    const h = hostIdentity();
    const d = deviceIdentity();
    expect(h.publicKey.toString('hex')).toBe(v.identities.host_key);
    expect(keyId(h.publicKey)).toBe(v.identities.host_id);
    expect(d.publicKey.toString('hex')).toBe(v.identities.device_key);
    expect(keyId(d.publicKey)).toBe(v.identities.device_id);

    const link = parsePairingLink(v.pairing_link.url, 1_700_000_000);
    const fragment = Buffer.from(new URL(v.pairing_link.url).hash.slice('#p='.length), 'base64url').toString('utf8');
    expect(fragment).toBe(v.pairing_link.json);
    expect(link).toMatchObject({ v: 1, relay: 'wss://relay.example.test', host: v.identities.host_id, name: 'Test Host', exp: 1893456000 });
    expect(link.key.toString('hex')).toBe(v.identities.host_key);
    expect(link.secret.toString('hex')).toBe(v.inputs.pairing_secret);
    expect(pairIdOf(link.secret).toString('hex')).toBe(v.pairing_link.pair_id);
    expect(() => parsePairingLink(v.pairing_link.url, 1893456000)).toThrow(/expired/);

    const regMsg = Buffer.concat([LABEL_REGISTER, hex(v.inputs.register_nonce)]);
    expect(ed25519Sign(h, regMsg).toString('hex')).toBe(v.register.signature);
  });

  for (const mode of ['pair', 'resume'] as const) {
    it(`${mode} mode: ClientHello, transcript hash, ServerHello, keys and the first records`, () => {
      const m = v[mode];
      const host = hostIdentity();
      const device = deviceIdentity();
      const sid = hex(v.inputs.sid);
      const secret = mode === 'pair' ? hex(v.inputs.pairing_secret) : undefined;
      const clientEph = x25519FromPrivate(hex(v.inputs.client_x25519_private));
      const hostEph = x25519FromPrivate(hex(v.inputs.host_x25519_private));

      const pairId = secret ? pairIdOf(secret) : Buffer.alloc(8);
      const ch = clientHello(mode === 'pair' ? MODE_PAIR : MODE_RESUME, clientEph.publicKey, hex(v.inputs.client_nonce), pairId);
      expect(ch.toString('hex')).toBe(m.client_hello);

      // The controller's view of the ServerHello: parse, hash, verify with the pinned key.
      const sh = parseServerHello(hex(m.server_hello));
      expect(sh.hostEph.toString('hex')).toBe(hostEph.publicKey.toString('hex'));
      expect(sh.hostNonce.toString('hex')).toBe(v.inputs.host_nonce);
      const th = transcriptHash(sid, ch, host.publicKey, sh.hostEph, sh.hostNonce);
      expect(th.toString('hex')).toBe(m.transcript_hash);
      expect(ed25519Verify(host.publicKey, Buffer.concat([LABEL_HOST, th]), sh.sig)).toBe(true);
      expect(ed25519Verify(device.publicKey, Buffer.concat([LABEL_HOST, th]), sh.sig)).toBe(false);
      // And the host side reproduces it exactly (Ed25519 is deterministic).
      expect(Buffer.concat([Buffer.from([0x02, 0x01]), hostEph.publicKey, hex(v.inputs.host_nonce), ed25519Sign(host, Buffer.concat([LABEL_HOST, th]))]).toString('hex')).toBe(m.server_hello);

      const dh = x25519(clientEph, sh.hostEph);
      expect(dh.toString('hex')).toBe(m.x25519_shared);
      expect(x25519(hostEph, clientEph.publicKey).toString('hex')).toBe(m.x25519_shared);
      const keys = deriveKeys(dh, th, secret);
      expect(keys.c2h.toString('hex')).toBe(m.key_c2h);
      expect(keys.h2c.toString('hex')).toBe(m.key_h2c);

      const auth = clientAuthJson(device, th, 'Test Phone', 'ios', 'phone');
      expect(auth).toBe(m.client_auth_json);
      // Record plaintext = flag 0x00 (last fragment) || UTF-8 JSON.
      expect(sealRecord(keys.c2h, sid, DIR_C2H, 0n, msg(auth)).toString('hex')).toBe(m.record_c2h_0);
      expect(sealRecord(keys.c2h, sid, DIR_C2H, 1n, msg(m.rpc_json)).toString('hex')).toBe(m.record_c2h_1);
      expect(openRecord(keys.h2c, sid, DIR_H2C, 0n, hex(m.record_h2c_0)).toString('utf8')).toBe(msg(m.welcome_json).toString('utf8'));

      // Strictness: wrong counter, wrong direction, wrong sid and a flipped bit are all refused.
      expect(() => openRecord(keys.h2c, sid, DIR_H2C, 1n, hex(m.record_h2c_0))).toThrow(/counter/);
      expect(() => openRecord(keys.c2h, sid, DIR_H2C, 0n, hex(m.record_c2h_0))).toThrow();
      expect(() => openRecord(keys.h2c, Buffer.alloc(16), DIR_H2C, 0n, hex(m.record_h2c_0))).toThrow();
      const flipped = hex(m.record_h2c_0);
      flipped[20]! ^= 1;
      expect(() => openRecord(keys.h2c, sid, DIR_H2C, 0n, flipped)).toThrow();
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The independent controller against real processes.
// ---------------------------------------------------------------------------------------------

describe('an independent spec-only controller against a real relay and host', () => {
  const stack = useStack({ label: 'spec-controller', relay: 'process', hostArgs: ['--name', 'Spec Test Host'] });
  /** A device paired by the spec controller before the tests, for those that resume. */
  let paired: { known: KnownHost; device: Ed25519Identity };
  beforeAll(async () => {
    const c = await pairWithLink(await stack.pairLink(), { name: 'Spec Phone', platform: 'linux', kind: 'phone' });
    paired = { known: c.link, device: c.device };
    c.close();
    await c.closed;
  });

  it('pairs with the link and runs a turn with an approval end to end', async () => {
    const linkText = await stack.pairLink();
    const link = parsePairingLink(linkText);
    expect(link.host).toBe(stack.host.hostId);
    expect(link.relay).toBe(stack.relay.url);
    expect(new URL(linkText).origin).toBe(stack.relay.url.replace(/^ws/, 'http'));
    expect(link.exp - Date.now() / 1000).toBeGreaterThan(9 * 60);
    expect(link.exp - Date.now() / 1000).toBeLessThanOrEqual(10 * 60 + 5);

    const c = stack.track(await pairWithLink(linkText, { name: 'Spec Phone', platform: 'linux', kind: 'phone' }));
    expect(c.welcome).toMatchObject({ t: 'welcome', host: { id: stack.host.hostId, name: 'Spec Test Host' }, device: { id: c.deviceId, name: 'Spec Phone' } });
    expect(typeof c.welcome.host.platform).toBe('string');
    expect(typeof c.welcome.host.version).toBe('string');

    await initialize(c, 'spec-controller', 'Spec Controller');
    const turn = await runTurn(c, { cwd: stack.home.workdir, text: 'please RUN touch spec-controller.txt && echo shell-ran-ok' });
    expect(turn.status).toBe('completed');
    expect(turn.approvals).toHaveLength(1);
    expect(existsSync(join(stack.home.workdir, 'spec-controller.txt'))).toBe(true);

    // §6: the trusted-device list keeps what ClientAuth said.
    expect((await stack.devices()).find((d) => d.deviceId === c.deviceId)).toMatchObject({ name: 'Spec Phone', platform: 'linux', kind: 'phone', revokedAt: null, connected: 1 });
  }, 90_000);

  it('resumes as the paired device (mode 0x02, pairId zero, ikm = dh); an unknown device is denied', async () => {
    const c = stack.track(await resumeWith(paired.known, paired.device, { name: 'ignored on resume' }));
    expect(c.welcome).toMatchObject({ t: 'welcome', host: { id: stack.host.hostId }, device: { id: keyId(paired.device.publicKey), name: 'Spec Phone' } });
    await initialize(c, 'spec-controller', 'Spec Controller');
    const { threadId } = await runTurn(c, { cwd: stack.home.workdir, text: 'Please say hello.' });
    const list = (await c.request('thread/list', { limit: 10 })) as { data: { id: string }[] };
    expect(list.data.map((th) => th.id)).toContain(threadId);
    c.close();
    await expect(resumeWith(paired.known, newEd25519())).rejects.toMatchObject({ deniedReason: 'unknown_device', closeCode: 4403 });
  }, 30_000);

  it('fragments (flag 0x01) are reassembled in both directions', async () => {
    const c = stack.track(await resumeWith(paired.known, paired.device));
    await initialize(c, 'spec-controller', 'Spec Controller');
    const { thread } = (await c.request('thread/start', { cwd: stack.home.workdir })) as { thread: { id: string } };
    const completed = nextNotification<{ turn: { status: string } }>(c, 'turn/completed', (p) => (p as { threadId?: string }).threadId === thread.id);
    // Controller → host: a 600 KiB turn/start spans three records. Host → controller: the
    // turn's notifications carry that user message (and the model's echo of it) back.
    await c.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: `big ${'y'.repeat(600 * 1024)}`, text_elements: [] }] });
    expect(c.stats.fragmentsSent).toBeGreaterThanOrEqual(2);
    const done = await within(TURN_MS, completed, 'turn/completed');
    expect(done.turn.status).toBe('completed');
    expect(c.stats.fragmentsReceived).toBeGreaterThan(0);
    c.close();
  }, 90_000);

  it('a record with the wrong counter ends the session with 4400', async () => {
    const c = stack.track(await resumeWith(paired.known, paired.device));
    await initialize(c, 'spec-controller', 'Spec Controller');
    c.sendRecordWithCounter(7n, Buffer.concat([Buffer.from([0]), Buffer.from('{"jsonrpc":"2.0","id":99,"method":"thread/list","params":{}}')]));
    expect((await within(5000, c.closed, 'closed')).code).toBe(4400);
  }, 30_000);

  it('a frame over 1 MiB makes the relay close with 1009', async () => {
    const c = stack.track(await resumeWith(paired.known, paired.device));
    c.sendFrame(Buffer.alloc(1024 * 1024 + 64, 3));
    expect((await within(5000, c.closed, 'closed')).code).toBe(1009);
  }, 30_000);

  it('a bad ClientAuth signature is denied (bad_signature, 4403) and does not consume the secret', async () => {
    const linkText = await stack.pairLink();
    const badSig = (th: Buffer, d: Ed25519Identity): string =>
      JSON.stringify({ t: 'auth', deviceKey: b64u(d.publicKey), sig: b64u(ed25519Sign(d, Buffer.concat([LABEL_HOST, th]))), name: 'Bad Sig', platform: 'linux', kind: 'phone' });
    await expect(pairWithLink(linkText, { clientAuth: badSig })).rejects.toMatchObject({ deniedReason: 'bad_signature', closeCode: 4403 });
    // A secret is "consumed by the first successful pairing": the same link still pairs.
    const c = stack.track(await pairWithLink(linkText, { name: 'After Bad Sig' }));
    expect(c.welcome.device.name).toBe('After Bad Sig');
    c.close();
  }, 30_000);

  it('a deviceKey that does not match the announced device id is denied with 4403', async () => {
    const other = newEd25519();
    const err = (await pairWithLink(await stack.pairLink(), { announceDeviceId: keyId(other.publicKey) }).then(
      () => undefined,
      (e: unknown) => e,
    )) as SpecProtocolError | undefined;
    // ClientAuth's deviceKey is not the key of the device id announced to the relay: not verified.
    expect(err).toMatchObject({ closeCode: 4403, deniedReason: 'bad_signature' });
  }, 30_000);

  it('a used link and a wrong secret get no ServerHello: relay close 4403 "expired"', async () => {
    const linkText = await stack.pairLink();
    const first = stack.track(await pairWithLink(linkText, { name: 'First Phone' }));
    await expect(pairWithLink(linkText, { name: 'Thief' })).rejects.toMatchObject({ closeCode: 4403, closeReason: 'expired' } satisfies Partial<SpecProtocolError>);

    // Same link, different secret (the host id and key stay valid).
    const fresh = new URL(await stack.pairLink());
    const json = JSON.parse(Buffer.from(fresh.hash.slice(3), 'base64url').toString('utf8')) as Record<string, unknown>;
    json.secret = Buffer.alloc(32, 7).toString('base64url');
    fresh.hash = `p=${Buffer.from(JSON.stringify(json), 'utf8').toString('base64url')}`;
    await expect(pairWithLink(fresh.toString(), { name: 'Forger' })).rejects.toMatchObject({ closeCode: 4403, closeReason: 'expired' });
    first.close();
  }, 30_000);

  it('a host keeps at most 4 unused secrets: a fifth code drops the oldest', async () => {
    const links: string[] = [];
    for (let i = 0; i < 5; i++) links.push(await stack.pairLink());
    await expect(pairWithLink(links[0]!, { name: 'Too Old' })).rejects.toMatchObject({ closeCode: 4403, closeReason: 'expired' });
    for (const l of links.slice(1)) stack.track(await pairWithLink(l, { name: 'Still Valid' })).close();
  }, 60_000);

  it('a controller for an unregistered host gets {"t":"offline"} and close 4404', async () => {
    const linkText = await stack.pairLink();
    const json = JSON.parse(Buffer.from(new URL(linkText).hash.slice(3), 'base64url').toString('utf8')) as Record<string, unknown>;
    const other = ed25519FromSeed(Buffer.alloc(32, 9)).publicKey;
    json.key = other.toString('base64url');
    json.host = keyId(other);
    const u = new URL(linkText);
    u.hash = `p=${Buffer.from(JSON.stringify(json), 'utf8').toString('base64url')}`;
    await expect(pairWithLink(u.toString())).rejects.toMatchObject({ message: 'host offline', closeCode: 4404 });
  }, 30_000);
});
