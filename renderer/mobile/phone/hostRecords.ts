/**
 * The hosts this phone paired with, as kept in IndexedDB (remote-protocol.md §6: per host the
 * host id, its pinned key, the relay URL and the name), plus what the phone chose for it (the
 * environment last used, whether notifications were turned on). A record read back is checked
 * before its key is pinned again (`parseTrustedHost`); a record that fails is dropped and
 * reported, never half-used.
 */
import { parseTrustedHost, type TrustedHost } from '../../../shared/controller/trustedHost';
import { errorMessage } from '../../../shared/util/errors';
import type { KeyValueStore } from '../platform/kvStore';

export interface PhoneHostRecord {
  readonly trusted: TrustedHost;
  /** Unix ms. */
  readonly pairedAt: number;
  /** The environment shown last (`local` by default). */
  readonly environmentId: string;
  /** The person turned notifications on for this host. */
  readonly notifications: boolean;
}

const KEY = 'hosts.v1';
/** More than anyone pairs; a bound on what one read can make the page hold. */
export const MAX_HOSTS = 64;
const ENV_RE = /^[A-Za-z0-9._:@-]{1,64}$/;

export interface LoadedHosts {
  readonly hosts: PhoneHostRecord[];
  /** Records that could not be read (dropped). */
  readonly problems: string[];
}

export function parseHostRecord(v: unknown): PhoneHostRecord {
  if (typeof v !== 'object' || v === null) throw new Error('not an object');
  const r = v as Record<string, unknown>;
  const trusted = parseTrustedHost(r.trusted);
  const pairedAt = typeof r.pairedAt === 'number' && Number.isFinite(r.pairedAt) ? r.pairedAt : 0;
  const environmentId = typeof r.environmentId === 'string' && ENV_RE.test(r.environmentId) ? r.environmentId : 'local';
  return { trusted, pairedAt, environmentId, notifications: r.notifications === true };
}

export async function loadHostRecords(store: KeyValueStore): Promise<LoadedHosts> {
  const raw = await store.get(KEY);
  if (raw === undefined) return { hosts: [], problems: [] };
  if (!Array.isArray(raw)) return { hosts: [], problems: ['the stored list of hosts was unreadable'] };
  const hosts: PhoneHostRecord[] = [];
  const problems: string[] = [];
  for (const item of raw.slice(0, MAX_HOSTS)) {
    try {
      const rec = parseHostRecord(item);
      if (!hosts.some((h) => h.trusted.hostId === rec.trusted.hostId)) hosts.push(rec);
    } catch (err) {
      problems.push(`a stored host was unreadable and was left out (${errorMessage(err)})`);
    }
  }
  return { hosts, problems };
}

export async function saveHostRecords(store: KeyValueStore, hosts: readonly PhoneHostRecord[]): Promise<void> {
  await store.set(KEY, hosts.slice(0, MAX_HOSTS));
}
