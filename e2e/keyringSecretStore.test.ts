/**
 * The host identity in a real OS secret store: @napi-rs/keyring on Linux's kernel keyring,
 * inside a private `keyctl session` (no D-Bus needed; nothing touches the user's keyrings).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_OUTPUT_DIR } from './fixtures/codexHome.js';
import { REPO_ROOT } from './fixtures/hostProcess.js';

describe('host identity in the OS secret store', () => {
  it('is stored in and loaded from the keyring, with no fallback file', async () => {
    const dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'keyring-'));
    const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const r = spawnSync('keyctl', ['session', '-', tsx, join(REPO_ROOT, 'e2e', 'fixtures', 'keyringProbe.ts'), dataDir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/Error/);
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? '{}')).toEqual({ stores: ['keyring', 'keyring'], created: [true, false], sameHost: true, fileWritten: false, gone: true });
    await rm(dataDir, { recursive: true, force: true });
  });
});
