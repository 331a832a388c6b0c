/**
 * Reading OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"), never writing them
 * (style.md G10, anti-pattern 10): plain host patterns (`*`, `?`, `!negation`, comma lists),
 * hashed names (`|1|salt|HMAC-SHA1`), the `[host]:port` form for ports other than 22, and the
 * `@revoked` / `@cert-authority` markers. Certificates are not used by this client, so
 * `@cert-authority` lines are ignored when checking a plain host key.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface KnownHostEntry {
  readonly file: string;
  readonly line: number;
  readonly marker: 'revoked' | 'cert-authority' | undefined;
  /** The host field as written (comma-separated patterns, or one hashed name). */
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

export type KnownHostsVerdict =
  | { readonly kind: 'trusted'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly kind: 'changed'; readonly entry: KnownHostEntry }
  | { readonly kind: 'unknown' };

const MAX_LINE = 16 * 1024;

/** The name a host key is stored under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's fingerprint format: `SHA256:` + unpadded base64 of the key blob's SHA-256. */
export function fingerprintSha256(key: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a wire-format public key blob (`ssh-ed25519`, `ssh-rsa`…). */
export function keyTypeOfBlob(key: Uint8Array): string {
  if (key.length < 4) return '';
  const len = ((key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!) >>> 0;
  if (len === 0 || len > 64 || 4 + len > key.length) return '';
  return Buffer.from(key.subarray(4, 4 + len)).toString('latin1');
}

/** Parses one known_hosts file; lines that are not entries are skipped. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.length > MAX_LINE) continue;
    const fields = raw.trim().split(/\s+/);
    if (fields.length === 0 || fields[0] === '' || fields[0]!.startsWith('#')) continue;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked') marker = 'revoked';
    else if (fields[0] === '@cert-authority') marker = 'cert-authority';
    else if (fields[0]!.startsWith('@')) continue;
    const [hosts, keyType, keyB64] = marker ? fields.slice(1) : fields;
    if (!hosts || !keyType || !keyB64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyB64)) continue;
    const key = Buffer.from(keyB64, 'base64');
    if (keyTypeOfBlob(key) !== keyType) continue;
    out.push({ file, line: i + 1, marker, hosts, keyType, key });
  }
  return out;
}

/** Whether an entry's host field names `name` (the `knownHostsName` form). */
export function entryMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else if (globMatch(pattern, name)) matched = true;
  }
  return matched;
}

/** The verdict for `key` presented by the host stored as `name`. */
export function checkKnownHosts(entries: readonly KnownHostEntry[], name: string, key: Buffer): KnownHostsVerdict {
  const type = keyTypeOfBlob(key);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatches(e.hosts, name));
  const same = forHost.find((e) => e.key.equals(key));
  if (same) return { kind: 'trusted', entry: same };
  const changed = forHost.find((e) => e.keyType === type);
  if (changed) return { kind: 'changed', entry: changed };
  return { kind: 'unknown' };
}

/** Key types known for `name` (so the client can prefer them, as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && entryMatches(e.hosts, name)).map((e) => e.keyType))];
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|');
  // ['', '1', salt, hash]
  if (parts.length !== 4) return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  const want = Buffer.from(parts[3]!, 'base64');
  if (salt.length === 0 || want.length !== 20) return false;
  const got = createHmac('sha1', salt).update(name).digest();
  return timingSafeEqual(got, want);
}

/** OpenSSH's `match_pattern`: `*` any run, `?` one character, case-insensitive for host names. */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}
