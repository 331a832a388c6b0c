/**
 * The unit project's runtime guard (scripts/unit-tier-guard.ts, loaded by vitest.config.ts): in a
 * unit test, listening, connecting, binding and starting a process fail at the call with the
 * rule's message. The modules come from `process.getBuiltinModule`, which the static scan
 * (scripts/check-test-tiers.mjs) does not read: this is the case only the guard catches.
 */
import { describe, expect, it } from 'vitest';

const RULE = /^unit tier: .* in a unit test\. Unit tests run without processes or sockets; name the file \*\.integration\.test\.ts/;

describe('the unit tier guard', () => {
  it('refuses a server that listens, a socket that connects and a UDP bind', () => {
    const net = process.getBuiltinModule('node:net');
    expect(() => net.createServer().listen(0, '127.0.0.1')).toThrow(RULE);
    expect(() => net.connect(9, '127.0.0.1')).toThrow(RULE);
    expect(() => process.getBuiltinModule('node:dgram').createSocket('udp4').bind(0)).toThrow(RULE);
  });

  it('refuses fetch, which connects through the same socket', async () => {
    const failure = await fetch('http://127.0.0.1:2/').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((failure as { cause?: Error }).cause?.message).toMatch(RULE);
  });

  it('refuses every way of starting a child process', () => {
    const cp = process.getBuiltinModule('node:child_process');
    expect(() => cp.spawn(process.execPath, ['-v'])).toThrow(/a child process starts in a unit test/);
    expect(() => cp.execFile(process.execPath, ['-v'])).toThrow(/a child process starts in a unit test/);
    expect(() => cp.spawnSync(process.execPath, ['-v'])).toThrow(/a child process starts \(spawnSync\)/);
    expect(() => cp.execSync('true')).toThrow(/a child process starts \(execSync\)/);
    expect(() => cp.execFileSync('true')).toThrow(/a child process starts \(execFileSync\)/);
  });
});
