import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ListenerConfigError, parseListenerOptions, type RawListenerOptions } from './listenerOptions.js';

const dir = mkdtempSync(join(tmpdir(), 'listener-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const SECRET_32 = 'abcdefghijklmnopqrstuvwxyz012345';
const SHA_OF_X = createHash('sha256').update('x').digest('hex');

/** The message parseListenerOptions throws for `raw` (fails the test if it does not throw). */
function errorOf(raw: RawListenerOptions): string {
  try {
    parseListenerOptions(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ListenerConfigError);
    return (err as Error).message;
  }
  throw new Error('expected parseListenerOptions to throw');
}

describe('parseListenerOptions: the flag rows of docs/engine.md §9', () => {
  it('refuses a non-loopback listener without auth, with upstream text and a hint', () => {
    expect(errorOf({ listen: 'ws://0.0.0.0:0' })).toBe(
      'refusing to start non-loopback websocket listener 0.0.0.0:0 without auth; configure `--ws-auth capability-token` or `--ws-auth signed-bearer-token`',
    );
    try {
      parseListenerOptions({ listen: 'ws://0.0.0.0:0' });
    } catch (err) {
      expect((err as ListenerConfigError).hint).toContain('--allow-unauthenticated-non-loopback-ws');
    }
    // IPv4-mapped loopback is not loopback for upstream either.
    expect(errorOf({ listen: 'ws://[::ffff:127.0.0.1]:0' })).toContain('listener [::ffff:127.0.0.1]:0 without auth');
  });

  it('allows an unauthenticated non-loopback listener only when asked, with a loud warning', () => {
    const config = parseListenerOptions({ listen: 'ws://0.0.0.0:4500', allowUnauthenticatedNonLoopbackWs: true });
    expect(config.loopback).toBe(false);
    expect(config.auth.mode).toBe('none');
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatch(/^WARNING: the websocket listener on ws:\/\/0\.0\.0\.0:4500 accepts clients WITHOUT authentication/);
  });

  it('accepts a non-loopback listener with auth and no warning', () => {
    const config = parseListenerOptions({ listen: 'ws://0.0.0.0:0', wsAuth: 'capability-token', wsTokenSha256: SHA_OF_X });
    expect(config.warnings).toEqual([]);
    expect(config.loopback).toBe(false);
  });

  it('requires a token source for capability-token', () => {
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token' })).toBe(
      '`--ws-token-file` or `--ws-token-sha256` is required when `--ws-auth capability-token` is set',
    );
  });

  it('rejects both token sources', () => {
    expect(
      errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: file('t1', 'tok'), wsTokenSha256: SHA_OF_X }),
    ).toBe('`--ws-token-file` and `--ws-token-sha256` are mutually exclusive');
  });

  it('rejects a token digest that is not 64 hex characters, and accepts upper case and padding', () => {
    const msg = '--ws-token-sha256 must be a 64-character hex SHA-256 digest';
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenSha256: 'abc' })).toBe(msg);
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenSha256: `${SHA_OF_X.slice(0, 63)}g` })).toBe(msg);
    const config = parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenSha256: ` ${SHA_OF_X.toUpperCase()} ` });
    expect(config.auth.mode === 'capability-token' && Buffer.from(config.auth.tokenSha256).toString('hex')).toBe(SHA_OF_X);
  });

  it('rejects every auth flag without --ws-auth', () => {
    const msg = 'websocket auth flags require `--ws-auth capability-token` or `--ws-auth signed-bearer-token`';
    const flags: RawListenerOptions[] = [
      { wsTokenFile: '/x' },
      { wsTokenSha256: SHA_OF_X },
      { wsSharedSecretFile: '/x' },
      { wsIssuer: 'i' },
      { wsAudience: 'a' },
      { wsMaxClockSkewSeconds: 5 },
    ];
    for (const f of flags) expect(errorOf({ listen: 'ws://127.0.0.1:0', ...f })).toBe(msg);
    // Upstream validates the flags before the non-loopback refusal.
    expect(errorOf({ listen: 'ws://0.0.0.0:0', wsIssuer: 'x' })).toBe(msg);
  });

  it('rejects JWT flags with capability-token', () => {
    const msg =
      '`--ws-shared-secret-file`, `--ws-issuer`, `--ws-audience`, and `--ws-max-clock-skew-seconds` require `--ws-auth signed-bearer-token`';
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenSha256: SHA_OF_X, wsAudience: 'a' })).toBe(msg);
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsMaxClockSkewSeconds: '1' })).toBe(msg);
  });

  it('rejects token flags with signed-bearer-token and requires the secret file', () => {
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsTokenSha256: 'abc' })).toBe(
      '`--ws-token-file` and `--ws-token-sha256` require `--ws-auth capability-token`, not `signed-bearer-token`',
    );
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token' })).toBe(
      '`--ws-shared-secret-file` is required when `--ws-auth signed-bearer-token` is set',
    );
  });

  it('rejects a shared secret shorter than 32 bytes after trimming, and accepts 32', () => {
    const short = file('s31', `  ${SECRET_32.slice(0, 31)}\n`);
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: short })).toBe(
      `signed websocket bearer secret ${short} must be at least 32 bytes`,
    );
    const ok = file('s32', `${SECRET_32}\n`);
    const config = parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: ok });
    expect(config.auth.mode).toBe('signed-bearer-token');
    if (config.auth.mode !== 'signed-bearer-token') return;
    expect(config.auth.maxClockSkewSeconds).toBe(30);
    expect(config.auth.sharedSecret.export().toString('utf8')).toBe(SECRET_32);
  });

  it('rejects an empty or blank token file', () => {
    for (const content of ['', '  \n\t']) {
      const path = file('empty', content);
      expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: path })).toBe(
        `websocket auth secret ${path} must not be empty`,
      );
    }
  });

  it('reports an unreadable secret file', () => {
    const path = join(dir, 'does-not-exist');
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: path })).toBe(
      `failed to read websocket auth secret ${path}: No such file or directory`,
    );
  });

  it('refuses a token file that is not a regular file at once (no endless read of /dev/zero)', () => {
    const t0 = Date.now();
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: '/dev/zero' })).toBe(
      'failed to read websocket auth secret /dev/zero: is not a regular file (it is a character device)',
    );
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: dir })).toBe(
      `failed to read websocket auth secret ${dir}: is not a regular file (it is a directory)`,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    const big = file('big', 'x'.repeat(64 * 1024 + 1));
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: big })).toBe(`failed to read websocket auth secret ${big}: is larger than 65536 bytes`);
  });

  it('warns about a token or secret file other users can read, with the chmod that fixes it', () => {
    const open = file('tok-open', 'x');
    chmodSync(open, 0o644);
    expect(parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: open }).warnings).toEqual([
      `WARNING: --ws-token-file ${open} is readable by other users (mode 644): anyone who reads it can connect; run chmod 600 ${open}`,
    ]);
    const secret = file('secret-open', SECRET_32);
    chmodSync(secret, 0o640);
    expect(parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: secret }).warnings).toEqual([
      `WARNING: --ws-shared-secret-file ${secret} is readable by other users (mode 640): anyone who reads it can connect; run chmod 600 ${secret}`,
    ]);
    const closed = file('tok-closed', 'x');
    chmodSync(closed, 0o600);
    expect(parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: closed }).warnings).toEqual([]);
  });

  it('requires absolute paths for the token and secret files', () => {
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: 'tok' })).toBe(
      '--ws-token-file must be an absolute path (got `tok`)',
    );
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: './secret' })).toBe(
      '--ws-shared-secret-file must be an absolute path (got `./secret`)',
    );
  });

  it('keeps only the SHA-256 of the trimmed token file content', () => {
    const path = file('tok', '  x  \n');
    const config = parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: path });
    expect(config.auth.mode === 'capability-token' && Buffer.from(config.auth.tokenSha256).toString('hex')).toBe(SHA_OF_X);
    expect(JSON.stringify(config)).not.toMatch(/"x"/);
  });

  it('never prints the shared secret', () => {
    const path = file('s-print', SECRET_32);
    const config = parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: path });
    expect(JSON.stringify(config)).not.toContain(SECRET_32);
    expect(inspect(config, { depth: 10 })).not.toContain(SECRET_32);
  });

  it('trims issuer and audience, treats blank as unset, and parses the clock skew', () => {
    const path = file('s-claims', SECRET_32);
    const config = parseListenerOptions({
      listen: 'ws://127.0.0.1:0',
      wsAuth: 'signed-bearer-token',
      wsSharedSecretFile: path,
      wsIssuer: ' issuer ',
      wsAudience: '   ',
      wsMaxClockSkewSeconds: '45',
    });
    expect(config.auth).toMatchObject({ mode: 'signed-bearer-token', issuer: 'issuer', audience: undefined, maxClockSkewSeconds: 45 });
    for (const bad of ['abc', '-1', '1.5', -1, 2.5]) {
      expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: path, wsMaxClockSkewSeconds: bad })).toMatch(
        /^invalid value '.*' for '--ws-max-clock-skew-seconds <SECONDS>'/,
      );
    }
  });

  it('rejects an unknown --ws-auth mode', () => {
    expect(errorOf({ listen: 'ws://127.0.0.1:0', wsAuth: 'password' })).toBe(
      "invalid value 'password' for '--ws-auth <MODE>' (possible values: capability-token, signed-bearer-token)",
    );
  });
});

describe('parseListenerOptions: --listen URL', () => {
  it('accepts IP literals, [::1] and port 0', () => {
    expect(parseListenerOptions({ listen: 'ws://127.0.0.1:0' }).address).toEqual({ host: '127.0.0.1', family: 'ipv4', port: 0 });
    expect(parseListenerOptions({ listen: 'ws://[::1]:4500' })).toMatchObject({
      address: { host: '::1', family: 'ipv6', port: 4500 },
      loopback: true,
    });
    expect(parseListenerOptions({ listen: 'ws://[0:0:0:0:0:0:0:1]:1' }).address.host).toBe('::1');
    expect(parseListenerOptions({ listen: 'ws://127.0.0.2:00' })).toMatchObject({ address: { port: 0 }, loopback: true });
  });

  it('rejects host names, missing ports, paths, out-of-range ports with upstream text', () => {
    for (const url of [
      'ws://localhost:0',
      'ws://127.0.0.1',
      'ws://127.0.0.1:0/',
      'ws://127.0.0.1:0/path',
      'ws://127.0.0.1:0?x',
      'ws://127.0.0.1:65536',
      'ws://127.1:0',
      'ws://user@127.0.0.1:0',
      'ws://[::1]',
      'ws://::1:0',
      'ws://[fe80::1%eth0]:0',
    ]) {
      expect(errorOf({ listen: url })).toBe(`invalid websocket --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
    }
  });

  it('rejects other schemes as unsupported', () => {
    for (const url of ['wss://127.0.0.1:0', 'http://127.0.0.1:0', 'WS://127.0.0.1:0', ' ws://127.0.0.1:0']) {
      expect(errorOf({ listen: url })).toBe(`unsupported --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
    }
  });

  it('requires --listen', () => {
    expect(errorOf({})).toBe('`--listen ws://IP:PORT` is required to start the websocket listener');
  });
});
