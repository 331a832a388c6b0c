/**
 * The host identity in real OS secret stores (red-team P9): the kernel keyring (keyutils) is
 * lost at reboot, so `--secret-store auto` never chooses it, and an identity an older version
 * left there moves to a durable store on the next start, keeping its host id (no re-pairing).
 * The kernel keyring runs in a private `keyctl session`; the Secret Service is a throw-away
 * gnome-keyring on a private D-Bus (`dbus-run-session`, docs/security.md). Nothing touches the
 * user's own keyrings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/hostProcess.js';
import { useStack } from './fixtures/stack.js';

const probe = join(REPO_ROOT, 'e2e', 'fixtures', 'keyringProbe.ts');
const withKeyring = join(REPO_ROOT, 'e2e', 'fixtures', 'withKeyring.sh');
// The model and CODEX_HOME for the one test that runs `serve`; every folder lives in home.root.
const stack = useStack({ label: 'keyring', relay: 'embedded', host: false });

const tempDir = (label: string): Promise<string> => mkdtemp(join(stack.home.root, `${label}-`));

/** Runs `prefix… node --import tsx keyringProbe.ts step dataDir` (one process, not tsx's two) and returns its JSON line. */
function runProbe(prefix: readonly string[], step: string, dataDir: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const argv = [...prefix, process.execPath, '--import', 'tsx', probe, step, dataDir];
  // No inherited D-Bus: only the private one of dbus-run-session may answer.
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...env, DBUS_SESSION_BUS_ADDRESS: '' } });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`keyringProbe ${step} printed no result (exit ${r.status}).\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

const KEYCTL = ['keyctl', 'session', '-'];
const secretService = (kr: string) => ({ prefix: ['dbus-run-session', '--', 'sh', withKeyring], env: { ...process.env, KR: kr } });

describe('host identity and the OS secret stores', () => {
  it('auto never puts the identity in the kernel keyring, even where it works', async () => {
    const dataDir = await tempDir('keyutils-auto');
    expect(runProbe(KEYCTL, 'open', dataDir)).toMatchObject({ created: true, kind: 'file', fileWritten: true });
    expect(runProbe(KEYCTL, 'legacy', dataDir)).toEqual({ legacySeed: false });
  });

  it('an identity left in the kernel keyring moves to the 0600 file store, same host id, and survives the "reboot"', async () => {
    const dataDir = await tempDir('keyutils-move');
    const { hostId } = runProbe(KEYCTL, 'plant-legacy', dataDir);
    expect(runProbe(KEYCTL, 'legacy', dataDir)).toEqual({ legacySeed: true });
    expect(runProbe(KEYCTL, 'open', dataDir)).toEqual({ hostId, created: false, kind: 'file', location: join(dataDir, 'secrets'), fileWritten: true });
    // The kernel copy is gone, as after a reboot; the identity still loads, unchanged.
    expect(runProbe(KEYCTL, 'legacy', dataDir)).toEqual({ legacySeed: false });
    expect(runProbe([], 'open', dataDir)).toMatchObject({ hostId, created: false, kind: 'file' });
  });

  it('auto uses the Secret Service when one answers, and the identity outlives the keyring daemon', async () => {
    const dataDir = await tempDir('secret-service');
    const ss = secretService(await tempDir('kr'));
    const first = runProbe(ss.prefix, 'open', dataDir, ss.env);
    expect(first).toMatchObject({ created: true, kind: 'keyring', location: 'the Secret Service (service "Codex Host")', fileWritten: false });
    // A new bus and a new gnome-keyring-daemon on the same keyring file: a restart of the session.
    expect(runProbe(ss.prefix, 'open', dataDir, ss.env)).toEqual({ ...first, created: false });
  });

  it('an identity left in the kernel keyring moves to the Secret Service when one answers', async () => {
    const dataDir = await tempDir('keyutils-to-ss');
    const ss = secretService(await tempDir('kr'));
    const { hostId } = runProbe(KEYCTL, 'plant-legacy', dataDir);
    expect(runProbe([...KEYCTL, ...ss.prefix], 'open', dataDir, ss.env)).toEqual({ hostId, created: false, kind: 'keyring', location: 'the Secret Service (service "Codex Host")', fileWritten: false });
    expect(runProbe(KEYCTL, 'legacy', dataDir)).toEqual({ legacySeed: false });
    expect(runProbe(ss.prefix, 'open', dataDir, ss.env)).toMatchObject({ hostId, created: false, kind: 'keyring' });
  });

  it('codex-host serve moves an identity from the kernel keyring on its next start; devices stay trusted across the "reboot"', async () => {
    const dataDir = await tempDir('keyutils-serve');
    const { hostId } = runProbe(KEYCTL, 'plant-legacy', dataDir);
    const device = { entryId: 'e1', deviceId: 'ab'.repeat(16), deviceKey: 'oJql9HpnWYAv-VX43C0qFKXJnSO-l_hkEn_5ODRVpPA', name: 'Old phone', platform: 'ios', kind: 'phone', pairedAt: '2026-01-01T00:00:00.000Z', lastSeen: null, revokedAt: null };
    await writeFile(join(dataDir, 'devices.json'), JSON.stringify({ version: 1, devices: [device] }), { mode: 0o600 });
    const first = await stack.startHost({ dataDir, prefix: KEYCTL });
    expect(first.hostId).toBe(hostId);
    expect(first.stderr()).toContain(`moved the host identity ${hostId} from the Linux kernel keyring (service "Codex Host") (not durable: lost at reboot) to ${join(dataDir, 'secrets')}`);
    await first.stop();
    expect(runProbe(KEYCTL, 'legacy', dataDir)).toEqual({ legacySeed: false });
    // After the reboot there is no kernel keyring copy at all: same host, same trusted device.
    const second = await stack.startHost({ dataDir });
    expect(second.hostId).toBe(hostId);
    const devices = JSON.parse((await stack.cli(['devices', '--json'], { dataDir })).stdout) as { devices: { deviceId: string; revokedAt: string | null }[] };
    expect(devices.devices).toEqual([expect.objectContaining({ deviceId: device.deviceId, revokedAt: null })]);
  });
});
