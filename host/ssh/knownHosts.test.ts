import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKnownHosts, verifyHostKey } from './hostKeyPolicy.js';
import { HostKeyTrustStore } from './hostKeyTrustStore.js';
import { checkKnownHosts, entryMatches, fingerprintSha256, keyTypeOfBlob, knownHostsName, parseKnownHosts } from './knownHosts.js';
import { SshError } from './sshErrors.js';

// Two ed25519 keys made with ssh-keygen; the fingerprints are what `ssh-keygen -lf` printed.
const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIOJQmzf8EhsOo29xiawOA8lKUoAmihbeMMonGESRi4mq';
const K1_FP = 'SHA256:SE/xB+vdUboB/KSE49XnzZ+o9KG4YDbuvjcxdlGgeF4';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIE+/zq6MhGBRsaJ1XsyxY389azi9sElBIUGbLXt5O/yg';
const K2_FP = 'SHA256:lkOyNu/hO7dfrnMHXQIeBdcnmIh4Oz/VPNLNE5EOMsk';
// `ssh-keygen -H` of "[127.0.0.1]:2222 K1" and "devbox.lan K1".
const HASHED = [
  '|1|IYnq6LkhkgLtu8d0ee2mxhmv8xo=|wx93dzpTmf+jBs9Q4R0biQaaqMw= ssh-ed25519 ' + K1,
  '|1|4GedXPZRYVJU7NOCFbPiR9x0ZDs=|WLYB/jzdJ8XsWy0UT2n0IqC4lHQ= ssh-ed25519 ' + K1,
].join('\n');
const key1 = Buffer.from(K1, 'base64');
const key2 = Buffer.from(K2, 'base64');

describe('known_hosts', () => {
  it('formats fingerprints and names like OpenSSH', () => {
    expect(fingerprintSha256(key1)).toBe(K1_FP);
    expect(fingerprintSha256(key2)).toBe(K2_FP);
    expect(keyTypeOfBlob(key1)).toBe('ssh-ed25519');
    expect(knownHostsName('h', 22)).toBe('h');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('matches hashed entries, [host]:port, patterns and negations', () => {
    const entries = parseKnownHosts(HASHED, 'kh');
    expect(entries).toHaveLength(2);
    expect(checkKnownHosts(entries, '[127.0.0.1]:2222', key1).kind).toBe('trusted');
    expect(checkKnownHosts(entries, 'devbox.lan', key1).kind).toBe('trusted');
    expect(checkKnownHosts(entries, '127.0.0.1', key1).kind).toBe('unknown');
    expect(checkKnownHosts(entries, '[127.0.0.1]:2222', key2)).toMatchObject({ kind: 'changed', entry: { line: 1 } });
    expect(entryMatches('*.lan,!evil.lan', 'devbox.lan')).toBe(true);
    expect(entryMatches('*.lan,!evil.lan', 'evil.lan')).toBe(false);
    expect(entryMatches('web?,db', 'WEB1')).toBe(true);
    expect(entryMatches('web?,db', 'web12')).toBe(false);
  });

  it('honours @revoked for any host and ignores @cert-authority, comments and junk', () => {
    const text = [`# comment`, `@cert-authority * ssh-ed25519 ${K2}`, `garbage line`, `h ssh-ed25519 not-base64!`, `h ssh-rsa ${K1}`, `@revoked * ssh-ed25519 ${K2}`, `h ssh-ed25519 ${K1}`].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    expect(entries.map((e) => [e.line, e.marker])).toEqual([
      [2, 'cert-authority'],
      [6, 'revoked'],
      [7, undefined],
    ]);
    expect(checkKnownHosts(entries, 'other', key2)).toMatchObject({ kind: 'revoked', entry: { line: 6 } });
    expect(checkKnownHosts(entries, 'h', key1).kind).toBe('trusted');
  });
});

describe('verifyHostKey with the trust store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'trust-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const check = (store: HostKeyTrustStore, knownHostsText?: string) => ({
    name: '[127.0.0.1]:2222',
    knownHostsFiles: ['/kh'],
    readFile: async () => knownHostsText,
    trustStore: store,
  });
  const errorOf = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as SshError;

  it('refuses an unknown key with its fingerprint until it is trusted, and remembers the decision', async () => {
    const file = path.join(dir, 'ssh-trust.json');
    const store = new HostKeyTrustStore({ file, now: () => new Date('2026-01-01T00:00:00Z') });
    const c = check(store);
    const err = await errorOf(verifyHostKey(c, await loadKnownHosts(c.knownHostsFiles, c.readFile), key1));
    expect(err.code).toBe('host-key-unknown');
    expect(err.message).toBe(`Host key unknown — fingerprint ${K1_FP} (ssh-ed25519); check it with the host's owner, then trust it`);
    expect(err.details).toEqual({ host: '[127.0.0.1]:2222', fingerprint: K1_FP, keyType: 'ssh-ed25519', key: K1 });
    await store.trust('[127.0.0.1]:2222', key1);
    await expect(verifyHostKey(c, [], key1)).resolves.toBeUndefined();
    // a fresh store instance reads the decision back from the file
    const again = new HostKeyTrustStore({ file });
    await expect(verifyHostKey(check(again), [], key1)).resolves.toBeUndefined();
    const changed = await errorOf(verifyHostKey(check(again), [], key2));
    expect(changed.code).toBe('host-key-changed');
    expect(changed.message).toMatch(/^Host key changed — refusing to connect: you trusted SHA256:SE\/xB.* the host sent SHA256:lkOy/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      keys: [{ host: '[127.0.0.1]:2222', keyType: 'ssh-ed25519', key: K1, fingerprint: K1_FP, addedAt: '2026-01-01T00:00:00.000Z' }],
    });
    await again.forget('[127.0.0.1]:2222');
    expect((await errorOf(verifyHostKey(check(again), [], key1))).code).toBe('host-key-unknown');
  });

  it('accepts a key known_hosts has and refuses a changed one, even if we trusted it', async () => {
    const store = new HostKeyTrustStore({ file: path.join(dir, 't.json') });
    const c = check(store, HASHED);
    const entries = await loadKnownHosts(c.knownHostsFiles, c.readFile);
    await expect(verifyHostKey(c, entries, key1)).resolves.toBeUndefined();
    await store.trust('[127.0.0.1]:2222', key2);
    const err = await errorOf(verifyHostKey(c, entries, key2));
    expect(err.code).toBe('host-key-changed');
    expect(err.message).toContain(`/kh line 1 has ${K1_FP} for [127.0.0.1]:2222, the host sent ${K2_FP}`);
    expect(err.message).toContain("ssh-keygen -R '[127.0.0.1]:2222'");
  });

  it('fails closed on a corrupt trust store and never overwrites it', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{"version":1,"keys":[{"host":"x"}]}');
    const store = new HostKeyTrustStore({ file });
    const err = await errorOf(verifyHostKey(check(store), [], key1));
    expect(err.code).toBe('host-key-unknown');
    expect(err.message).toMatch(/trust store .*bad\.json cannot be read .* no host key is trusted until then/);
    await expect(store.trust('[127.0.0.1]:2222', key1)).rejects.toThrow(/cannot be read/);
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"keys":[{"host":"x"}]}');
  });
});
