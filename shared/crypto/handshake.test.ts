import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, toHex, utf8 } from '../util/encoding.js';
import { ControllerHandshake } from './controllerHandshake.js';
import { encodeClientAuth, encodeHostFirst, parseClientAuth } from './handshakeRecords.js';
import { encodeServerHello, parseServerHello } from './handshakeMessages.js';
import { HostHandshake } from './hostHandshake.js';
import { generateIdentity, identityFromSeed, idFromPublicKey, sign, signerFromIdentity } from './identity.js';
import { LABEL_HOST } from './labels.js';
import { nobleAead } from './nobleAead.js';
import { ProtocolError } from './protocolError.js';
import { RecordOpener, RecordSealer } from './record.js';
import { runVectorHandshake, vectorSides } from '../testing/vectorHandshake.js';
import { sharedAeads, V } from '../testing/vectors.js';

const modes = ['pair', 'resume'] as const;

describe('handshake reproduces the spec vectors', () => {
  for (const mode of modes) {
    for (const [controllerName, controllerAead] of sharedAeads) {
      for (const [hostName, hostAead] of sharedAeads) {
        it(`${mode}: controller on ${controllerName}, host on ${hostName}`, async () => {
          const run = await runVectorHandshake(mode, controllerAead, hostAead);
          const v = V[mode];
          expect(toHex(run.clientHello)).toBe(toHex(v.clientHello));
          expect(toHex(run.serverHello)).toBe(toHex(v.serverHello));
          expect(toHex(run.recordC2h0)).toBe(toHex(v.recordC2h0));
          expect(toHex(run.recordH2c0)).toBe(toHex(v.recordH2c0));
          expect(toHex(run.recordC2h1)).toBe(toHex(v.recordC2h1));
          expect(run.rpcAtHost).toBe(v.rpcJson);
          expect(run.welcomeAtController).toEqual(JSON.parse(v.welcomeJson));
          expect(run.verifiedDeviceId).toBe(V.deviceId);
        });
      }
    }
  }

  for (const mode of modes) {
    it(`${mode}: the vector records decrypt to the vector JSON with the vector keys`, async () => {
      const v = V[mode];
      for (const [, aead] of sharedAeads) {
        const c2h = new RecordOpener({ key: await aead(v.keyC2h), sid: V.sid, direction: 'c2h' });
        const h2c = new RecordOpener({ key: await aead(v.keyH2c), sid: V.sid, direction: 'h2c' });
        expect(fromUtf8((await c2h.open(v.recordC2h0))!)).toBe(v.clientAuthJson);
        expect(fromUtf8((await c2h.open(v.recordC2h1))!)).toBe(v.rpcJson);
        expect(fromUtf8((await h2c.open(v.recordH2c0))!)).toBe(v.welcomeJson);
      }
    });

    it(`${mode}: sealing the vector JSON with the vector keys gives the vector records`, async () => {
      const v = V[mode];
      for (const [, aead] of sharedAeads) {
        const c2h = new RecordSealer({ key: await aead(v.keyC2h), sid: V.sid, direction: 'c2h' });
        const h2c = new RecordSealer({ key: await aead(v.keyH2c), sid: V.sid, direction: 'h2c' });
        expect((await c2h.seal(utf8(v.clientAuthJson))).map(toHex)).toEqual([toHex(v.recordC2h0)]);
        expect((await c2h.seal(utf8(v.rpcJson))).map(toHex)).toEqual([toHex(v.recordC2h1)]);
        expect((await h2c.seal(utf8(v.welcomeJson))).map(toHex)).toEqual([toHex(v.recordH2c0)]);
      }
    });

    it(`${mode}: ClientAuth and welcome encode to the vector JSON byte for byte`, () => {
      const v = V[mode];
      const auth = parseClientAuth(utf8(v.clientAuthJson));
      expect(fromUtf8(encodeClientAuth(auth))).toBe(v.clientAuthJson);
      expect(toHex(auth.deviceKey)).toBe(toHex(V.deviceKey));
      const welcome = JSON.parse(v.welcomeJson) as Parameters<typeof encodeHostFirst>[0];
      expect(fromUtf8(encodeHostFirst(welcome))).toBe(v.welcomeJson);
    });
  }
});

/** Rejection helper: the ProtocolError a promise rejects with. */
async function protocolFailure(p: Promise<unknown>): Promise<{ closeCode: number; reason: string }> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ProtocolError)) throw new Error(`expected a ProtocolError, got ${String(e)}`);
  return { closeCode: e.closeCode, reason: e.reason };
}

describe('handshake failures', () => {
  it('a ServerHello signed by another host key is rejected by the controller (4400)', async () => {
    const { controller, host } = vectorSides('pair', nobleAead, nobleAead);
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    const parsed = parseServerHello(hello.serverHello);
    const impostor = generateIdentity();
    // The impostor signs the transcript with its own key (it cannot compute the host's signature).
    const th = V.pair.transcriptHash;
    const forged = encodeServerHello({ ...parsed, sig: sign(impostor, concatBytes(LABEL_HOST, th)) });
    expect(await protocolFailure(controller.onServerHello(forged))).toEqual({ closeCode: 4400, reason: 'bad_host_signature' });
  });

  it('a genuine ServerHello is rejected when the controller pinned a different host key', async () => {
    const { host } = vectorSides('resume', nobleAead, nobleAead);
    const controller = new ControllerHandshake({
      mode: 'resume',
      sid: V.sid,
      hostKey: generateIdentity().publicKey,
      device: signerFromIdentity(identityFromSeed(V.deviceSeed)),
      description: { name: 'Test Phone', platform: 'ios', kind: 'phone' },
      aead: nobleAead,
    });
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    expect(await protocolFailure(controller.onServerHello(hello.serverHello))).toEqual({ closeCode: 4400, reason: 'bad_host_signature' });
  });

  it('a ServerHello for another session id is rejected (the sid is in the transcript)', async () => {
    const { host } = vectorSides('resume', nobleAead, nobleAead);
    const controller = new ControllerHandshake({
      mode: 'resume',
      sid: new Uint8Array(16).fill(9),
      hostKey: V.hostKey,
      device: signerFromIdentity(identityFromSeed(V.deviceSeed)),
      description: { name: 'Test Phone', platform: 'ios', kind: 'phone' },
      aead: nobleAead,
      dangerousFixedRandomness: { ephemeralPrivateKey: V.clientEphPriv, nonce: V.clientNonce },
    });
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    expect(await protocolFailure(controller.onServerHello(hello.serverHello))).toEqual({ closeCode: 4400, reason: 'bad_host_signature' });
  });

  it('an unknown pairId makes the host answer close 4403 "expired" without a ServerHello', async () => {
    const { controller } = vectorSides('pair', nobleAead, nobleAead);
    const host = new HostHandshake({
      sid: V.sid,
      announcedDeviceId: V.deviceId,
      host: signerFromIdentity(identityFromSeed(V.hostSeed)),
      aead: nobleAead,
      lookupPairingSecret: async () => undefined,
    });
    expect(await host.onClientHello(controller.clientHello)).toEqual({ action: 'close', closeCode: 4403, reason: 'expired' });
    await expect(host.onClientAuth(V.pair.recordC2h0)).rejects.toThrow(/unexpected/);
  });

  it('with a wrong pairing secret the keys differ and ClientAuth fails to decrypt at the host (4400)', async () => {
    const { controller } = vectorSides('pair', nobleAead, nobleAead);
    const host = new HostHandshake({
      sid: V.sid,
      announcedDeviceId: V.deviceId,
      host: signerFromIdentity(identityFromSeed(V.hostSeed)),
      aead: nobleAead,
      lookupPairingSecret: () => new Uint8Array(32).fill(0x78),
    });
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    const auth = await controller.onServerHello(hello.serverHello); // the signature still verifies
    expect(await protocolFailure(host.onClientAuth(auth))).toEqual({ closeCode: 4400, reason: 'decrypt_failed' });
  });

  it('a ClientAuth whose signature does not cover this transcript is not verified; the host can deny it', async () => {
    const { controller, host } = vectorSides('resume', nobleAead, nobleAead);
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    await controller.onServerHello(hello.serverHello);
    // Re-seal a ClientAuth carrying the pair-mode signature (another transcript) with the resume key.
    const auth = parseClientAuth(utf8(V.pair.clientAuthJson));
    const sealer = new RecordSealer({ key: await nobleAead(V.resume.keyC2h), sid: V.sid, direction: 'c2h' });
    const [record] = await sealer.seal(encodeClientAuth(auth));
    expect(await host.onClientAuth(record!)).toEqual({ verified: false, detail: 'signature' });
    const denied = await host.deny('bad_signature');
    expect(await controller.onHostRecord(denied)).toEqual({ outcome: 'denied', reason: 'bad_signature' });
  });

  it('a ClientAuth from a key other than the relay-announced device is not verified', async () => {
    const { controller } = vectorSides('resume', nobleAead, nobleAead);
    const host = new HostHandshake({
      sid: V.sid,
      announcedDeviceId: 'ffffffffffffffffffffffffffffffff',
      host: signerFromIdentity(identityFromSeed(V.hostSeed)),
      aead: nobleAead,
      lookupPairingSecret: () => undefined,
      dangerousFixedRandomness: { ephemeralPrivateKey: V.hostEphPriv, nonce: V.hostNonce },
    });
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    expect(await host.onClientAuth(await controller.onServerHello(hello.serverHello))).toEqual({ verified: false, detail: 'device_id_mismatch' });
    await expect(host.welcome({ name: 'Test Host', platform: 'darwin', version: '1.0.0' })).rejects.toThrow(/no verified ClientAuth/);
  });

  it('a ClientHello with a low-order key share is rejected by the host before it signs anything', async () => {
    const { controller, host } = vectorSides('resume', nobleAead, nobleAead);
    const bad = controller.clientHello.slice();
    bad.fill(0, 3, 35); // clientEph = 0
    expect(await protocolFailure(host.onClientHello(bad))).toEqual({ closeCode: 4400, reason: 'bad_key_share' });
  });

  it('a malformed ClientHello or ServerHello is a 4400 failure', async () => {
    const { controller, host } = vectorSides('resume', nobleAead, nobleAead);
    expect(await protocolFailure(host.onClientHello(controller.clientHello.subarray(0, 74)))).toEqual({ closeCode: 4400, reason: 'bad_hello' });
    const other = vectorSides('resume', nobleAead, nobleAead);
    expect(await protocolFailure(other.controller.onServerHello(V.resume.serverHello.subarray(0, 129)))).toEqual({ closeCode: 4400, reason: 'bad_hello' });
  });

  it('a message out of turn is a 4400 failure', async () => {
    const { controller, host } = vectorSides('resume', nobleAead, nobleAead);
    expect(await protocolFailure(host.onClientAuth(V.resume.recordC2h0))).toEqual({ closeCode: 4400, reason: 'unexpected_message' });
    expect(await protocolFailure(controller.onHostRecord(V.resume.recordH2c0))).toEqual({ closeCode: 4400, reason: 'unexpected_message' });
  });

  it('the controller refuses a welcome that names another device', async () => {
    const { controller, host } = vectorSides('resume', nobleAead, nobleAead);
    const hello = await host.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    await controller.onServerHello(hello.serverHello);
    const sealer = new RecordSealer({ key: await nobleAead(V.resume.keyH2c), sid: V.sid, direction: 'h2c' });
    const welcome = JSON.parse(V.resume.welcomeJson) as { device: { id: string } };
    welcome.device.id = '00000000000000000000000000000000';
    const [record] = await sealer.seal(utf8(JSON.stringify(welcome)));
    expect(await protocolFailure(controller.onHostRecord(record!))).toEqual({ closeCode: 4400, reason: 'bad_welcome' });
  });

  it('random (non-fixed) handshakes agree on keys and carry messages both ways', async () => {
    const hostId = generateIdentity();
    const device = generateIdentity();
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const sid = crypto.getRandomValues(new Uint8Array(16));
    const controller = new ControllerHandshake({
      mode: 'pair',
      sid,
      hostKey: hostId.publicKey,
      pairingSecret: secret,
      device: signerFromIdentity(device),
      description: { name: 'Laptop', platform: 'linux', kind: 'host' },
      aead: nobleAead,
    });
    const right = new HostHandshake({
      sid,
      announcedDeviceId: idFromPublicKey(device.publicKey),
      host: signerFromIdentity(hostId),
      aead: nobleAead,
      lookupPairingSecret: () => secret,
    });
    const hello = await right.onClientHello(controller.clientHello);
    if (hello.action !== 'reply') throw new Error('expected reply');
    const auth = await right.onClientAuth(await controller.onServerHello(hello.serverHello));
    if (!auth.verified) throw new Error('not verified');
    expect(auth.device).toMatchObject({ mode: 'pair', name: 'Laptop', platform: 'linux', kind: 'host' });
    const { record, channel: hostChannel } = await right.welcome({ name: 'Desk', platform: 'linux', version: '0.1.0' });
    const result = await controller.onHostRecord(record);
    if (result.outcome !== 'welcome') throw new Error('denied');
    const [up] = await result.channel.sealer.seal(utf8('ping'));
    expect(fromUtf8((await hostChannel.opener.open(up!))!)).toBe('ping');
    const [down] = await hostChannel.sealer.seal(utf8('pong'));
    expect(fromUtf8((await result.channel.opener.open(down!))!)).toBe('pong');
  });
});
