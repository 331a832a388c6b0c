/**
 * The host key decision for one connection: the user's known_hosts files (read only) first, then
 * the host's own trust store. An unknown key is refused with its fingerprint so the user can
 * trust it; a changed or revoked key is refused with a warning and cannot be trusted from here
 * (the user must fix known_hosts, or remove the host to forget our decision).
 */
import { errorMessage } from '../../shared/util/errors.js';
import type { HostKeyTrustStore } from './hostKeyTrustStore.js';
import { checkKnownHosts, fingerprintSha256, keyTypeOfBlob, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from './knownHosts.js';
import { SshError } from './sshErrors.js';

/** Reads a known_hosts file; resolves undefined when it does not exist. */
export type ReadKnownHosts = (file: string) => Promise<string | undefined>;

export interface HostKeyCheck {
  /** The name keys are looked up under (`knownHostsName(hostKeyAlias ?? hostName, port)`). */
  readonly name: string;
  readonly knownHostsFiles: readonly string[];
  readonly readFile: ReadKnownHosts;
  readonly trustStore: HostKeyTrustStore;
}

/** Every entry of the known_hosts files (unreadable files are skipped: they hold nothing we can use). */
export async function loadKnownHosts(files: readonly string[], readFile: ReadKnownHosts): Promise<KnownHostEntry[]> {
  const out: KnownHostEntry[] = [];
  for (const f of files) {
    let text: string | undefined;
    try {
      text = await readFile(f);
    } catch {
      continue;
    }
    if (text !== undefined) out.push(...parseKnownHosts(text, f));
  }
  return out;
}

/** Key types already known for this host, preferred first when negotiating. */
export async function preferredKeyTypes(check: HostKeyCheck, entries: readonly KnownHostEntry[]): Promise<string[]> {
  let trusted: string[] = [];
  try {
    trusted = await check.trustStore.keyTypes(check.name);
  } catch {
    // a corrupt store fails the verification itself, with its message
  }
  return [...new Set([...knownKeyTypes(entries, check.name), ...trusted])];
}

/** Resolves when `key` may be used; throws `SshError` (`host-key-*`) otherwise. */
export async function verifyHostKey(check: HostKeyCheck, entries: readonly KnownHostEntry[], key: Buffer): Promise<void> {
  const fingerprint = fingerprintSha256(key);
  const keyType = keyTypeOfBlob(key);
  // The public key itself (not secret) rides along so the user can trust exactly this key.
  const details = { host: check.name, fingerprint, keyType, key: key.toString('base64') };
  const known = checkKnownHosts(entries, check.name, key);
  if (known.kind === 'revoked') {
    throw new SshError('host-key-revoked', `Host key revoked — refusing to connect: ${fingerprint} is marked @revoked in ${known.entry.file} line ${known.entry.line}`, details);
  }
  if (known.kind === 'changed') {
    throw new SshError(
      'host-key-changed',
      `Host key changed — refusing to connect: ${known.entry.file} line ${known.entry.line} has ${fingerprintSha256(known.entry.key)} for ${check.name}, the host sent ${fingerprint}. Someone may be intercepting the connection; if the host was reinstalled, remove the old key with: ssh-keygen -R '${check.name}'`,
      { ...details, expected: fingerprintSha256(known.entry.key) },
    );
  }
  if (known.kind === 'trusted') return;
  let ours;
  try {
    ours = await check.trustStore.check(check.name, key);
  } catch (err) {
    throw new SshError('host-key-unknown', errorMessage(err), details);
  }
  if (ours.kind === 'trusted') return;
  if (ours.kind === 'changed') {
    throw new SshError(
      'host-key-changed',
      `Host key changed — refusing to connect: you trusted ${ours.fingerprint} for ${check.name} in Codex Host, the host sent ${fingerprint}. Someone may be intercepting the connection; if the host was reinstalled, remove this host and add it again`,
      { ...details, expected: ours.fingerprint },
    );
  }
  throw new SshError('host-key-unknown', `Host key unknown — fingerprint ${fingerprint} (${keyType}); check it with the host's owner, then trust it`, details);
}
