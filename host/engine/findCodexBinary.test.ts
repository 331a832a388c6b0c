import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEX_BIN_ENV, findCodexBinary } from './findCodexBinary.js';

let dir: string;
let exe: string;
let plain: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'find-codex-'));
  exe = join(dir, 'my-codex');
  plain = join(dir, 'not-executable');
  await writeFile(exe, '#!/bin/sh\necho codex-cli 0.169.0\n');
  await chmod(exe, 0o755);
  await writeFile(plain, 'x');
  await chmod(plain, 0o644);
  // A package layout like npm's: <pkg>/package.json + vendor/<triple>/bin/codex.
  const vendorBin = join(dir, 'pkg', 'vendor', 'aarch64-apple-darwin', 'bin');
  await mkdir(vendorBin, { recursive: true });
  await writeFile(join(dir, 'pkg', 'package.json'), '{}');
  await writeFile(join(vendorBin, 'codex'), '#!/bin/sh\n');
  await chmod(join(vendorBin, 'codex'), 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findCodexBinary', () => {
  it('prefers --codex-bin, then CODEX_HOST_CODEX_BIN', () => {
    expect(findCodexBinary({ override: exe, env: { [CODEX_BIN_ENV]: '/elsewhere' } })).toEqual({ path: exe, source: 'flag' });
    expect(findCodexBinary({ env: { [CODEX_BIN_ENV]: exe } })).toEqual({ path: exe, source: 'env' });
  });

  it('refuses an override that is not an executable file, without falling back', () => {
    expect(() => findCodexBinary({ override: join(dir, 'missing'), env: {} })).toThrow(`findCodexBinary: --codex-bin points to "${join(dir, 'missing')}", which is not an executable file`);
    expect(() => findCodexBinary({ env: { [CODEX_BIN_ENV]: plain } })).toThrow(`findCodexBinary: ${CODEX_BIN_ENV} points to "${plain}", which is not an executable file`);
    expect(() => findCodexBinary({ override: dir, env: {} })).toThrow(/which is not an executable file/);
  });

  it('finds the native binary of the installed @openai/codex platform package', () => {
    const found = findCodexBinary({ env: {} });
    expect(found.source).toBe('package');
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(found.path).toMatch(/node_modules\/@openai\/codex-linux-x64\/vendor\/x86_64-unknown-linux-musl\/bin\/codex$/);
    }
  });

  it('maps platform and architecture to the package and vendor folder', () => {
    const asked: string[] = [];
    const found = findCodexBinary({
      env: {},
      platform: 'darwin',
      arch: 'arm64',
      resolvePackageJson: (spec) => {
        asked.push(spec);
        return spec === '@openai/codex-darwin-arm64/package.json' ? join(dir, 'pkg', 'package.json') : undefined;
      },
    });
    expect(found).toEqual({ path: join(dir, 'pkg', 'vendor', 'aarch64-apple-darwin', 'bin', 'codex'), source: 'package' });
    expect(asked[0]).toBe('@openai/codex-darwin-arm64/package.json');
  });

  it('says what is missing and how to fix it', () => {
    expect(() => findCodexBinary({ env: {}, resolvePackageJson: () => undefined })).toThrow(
      /the bundled codex binary is missing \(neither @openai\/codex nor @openai\/codex-\S+ is installed\); reinstall dependencies \(npm install\) or pass --codex-bin PATH \/ set CODEX_HOST_CODEX_BIN/,
    );
    expect(() => findCodexBinary({ env: {}, platform: 'linux', arch: 'x64', resolvePackageJson: () => join(dir, 'empty', 'package.json') })).toThrow(
      /not found at ".*empty\/vendor\/x86_64-unknown-linux-musl\/bin\/codex"/,
    );
    expect(() => findCodexBinary({ env: {}, platform: 'aix', arch: 'ppc64' })).toThrow('findCodexBinary: @openai/codex has no binary for aix/ppc64');
  });
});
