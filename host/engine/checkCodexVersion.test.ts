import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it, expect } from 'vitest';
import { MIN_CODEX_VERSION, assertMinimumVersion, checkCodexVersion, compareVersions, parseCodexVersionOutput, parseVersion } from './checkCodexVersion.js';

const v = (s: string) => {
  const parsed = parseVersion(s);
  if (!parsed) throw new Error(`bad test version ${s}`);
  return parsed;
};

describe('parseCodexVersionOutput', () => {
  it('reads the version line printed by codex --version', () => {
    expect(parseCodexVersionOutput('codex-cli 0.169.0\n')).toMatchObject({ major: 0, minor: 169, patch: 0, prerelease: '', text: '0.169.0' });
    expect(parseCodexVersionOutput('\ncodex-cli 0.170.0-alpha.3\n').text).toBe('0.170.0-alpha.3');
  });

  it('skips the warnings codex prints before its version (a binary under a temporary directory)', () => {
    const out = 'WARNING: proceeding, even though we could not create PATH aliases: Refusing to create helper binaries under temporary dir\ncodex-cli 0.171.0\n';
    expect(parseCodexVersionOutput(out).text).toBe('0.171.0');
  });

  it('rejects output that is not a codex version line', () => {
    expect(() => parseCodexVersionOutput('Python 3.11.2')).toThrow(/expected "codex-cli X.Y.Z", got "Python 3.11.2"/);
    expect(() => parseCodexVersionOutput('')).toThrow(/expected "codex-cli X.Y.Z"/);
    expect(() => parseCodexVersionOutput('codex-cli 0.169')).toThrow();
  });
});

describe('compareVersions', () => {
  it('orders numerically, with a pre-release before its release', () => {
    expect(compareVersions(v('0.169.0'), v('0.169.0'))).toBe(0);
    expect(compareVersions(v('0.99.0'), v('0.169.0'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0'), v('0.999.999'))).toBeGreaterThan(0);
    expect(compareVersions(v('0.169.0-alpha.1'), v('0.169.0'))).toBeLessThan(0);
    expect(compareVersions(v('0.169.0-alpha.2'), v('0.169.0-alpha.10'))).toBeLessThan(0);
    expect(compareVersions(v('0.169.1'), v('0.169.0'))).toBeGreaterThan(0);
  });
});

describe('minimum version', () => {
  it('accepts the minimum (0.169.0) and anything newer', () => {
    expect(() => assertMinimumVersion(v('0.169.0'), '/x/codex')).not.toThrow();
    expect(() => assertMinimumVersion(v('0.170.2'), '/x/codex')).not.toThrow();
  });

  it('is met by the pinned @openai/codex, and is the minimum docs/engine.md and the README state', () => {
    const pinned = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@openai/codex/package.json'), 'utf8')) as { version: string }).version;
    expect(() => assertMinimumVersion(v(pinned), 'the bundled codex')).not.toThrow();
    const doc = readFileSync(new URL('../../docs/engine.md', import.meta.url), 'utf8');
    expect(doc).toContain(`| **minimum** | ${MIN_CODEX_VERSION} |`);
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(`minimum version ${MIN_CODEX_VERSION}`);
  });

  it('refuses older engines, naming the binary and the minimum', () => {
    expect(() => assertMinimumVersion(v('0.168.9'), '/x/codex')).toThrow('checkCodexVersion: /x/codex is codex 0.168.9, but Codex Host needs 0.169.0 or newer');
    expect(() => assertMinimumVersion(v('0.169.0-alpha.1'), '/x/codex')).toThrow(/needs 0.169.0 or newer/);
  });
});

describe('checkCodexVersion', () => {
  it('runs `<bin> --version` and returns the parsed version', async () => {
    const calls: string[][] = [];
    const version = await checkCodexVersion('/opt/codex', {
      run: async (bin, args) => {
        calls.push([bin, ...args]);
        return 'codex-cli 0.169.0\n';
      },
    });
    expect(version.text).toBe('0.169.0');
    expect(calls).toEqual([['/opt/codex', '--version']]);
  });

  it('explains when the binary cannot run, is not codex, or is too old', async () => {
    await expect(checkCodexVersion('/nope/codex', { run: () => Promise.reject(new Error('spawn /nope/codex ENOENT')) })).rejects.toThrow(
      'checkCodexVersion: cannot run "/nope/codex --version": spawn /nope/codex ENOENT',
    );
    await expect(checkCodexVersion('/usr/bin/python3', { run: async () => 'Python 3.11.2\n' })).rejects.toThrow(/"\/usr\/bin\/python3" does not look like codex/);
    await expect(checkCodexVersion('/old/codex', { run: async () => 'codex-cli 0.120.0\n' })).rejects.toThrow(/is codex 0.120.0, but Codex Host needs 0.169.0 or newer/);
    await expect(checkCodexVersion('/old/codex', { run: async () => 'codex-cli 0.169.0\n', minimum: '0.200.0' })).rejects.toThrow(/needs 0.200.0 or newer/);
  });
});
