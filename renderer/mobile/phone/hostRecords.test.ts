import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../../shared/crypto/identity';
import { trustedHostFromLink } from '../../../shared/controller/trustedHost';
import { encodePairingLink, parsePairingLink } from '../../../shared/pairing/pairingLink';
import { memoryStore } from '../platform/kvStore';
import { loadHostRecords, saveHostRecords, type PhoneHostRecord } from './hostRecords';

function record(name: string): PhoneHostRecord {
  const id = generateIdentity();
  const link = parsePairingLink(encodePairingLink({ relay: 'wss://relay.test', hostKey: id.publicKey, secret: new Uint8Array(32).fill(1), exp: 4_000_000_000, name }, 'https://relay.test'));
  return { trusted: trustedHostFromLink(link, name), pairedAt: 1, environmentId: 'local', notifications: false };
}

describe('the hosts kept on the phone', () => {
  it('keeps any number of hosts in the order they were paired', async () => {
    const kv = memoryStore();
    const hosts = [record('A'), record('B'), record('C')];
    await saveHostRecords(kv, hosts);
    expect((await loadHostRecords(kv)).hosts.map((h) => h.trusted.name)).toEqual(['A', 'B', 'C']);
  });

  it('drops a damaged record (its key is never half-pinned) and says so, keeping the others', async () => {
    const kv = memoryStore();
    const good = record('Good');
    await kv.set('hosts.v1', [{ trusted: { ...good.trusted, hostKey: 'AAAA' } }, good]);
    const loaded = await loadHostRecords(kv);
    expect(loaded.hosts.map((h) => h.trusted.name)).toEqual(['Good']);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]).toMatch(/^a stored host was unreadable and was left out/);
  });

  it('reads an unreadable list as empty, with a problem, instead of failing', async () => {
    const kv = memoryStore();
    await kv.set('hosts.v1', 'nonsense');
    expect(await loadHostRecords(kv)).toEqual({ hosts: [], problems: ['the stored list of hosts was unreadable'] });
  });
});
