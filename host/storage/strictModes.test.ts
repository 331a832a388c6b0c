import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkStrictModes } from './strictModes.js';

const uid = process.getuid!();
const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

/** base (0700, ours) / data (0700) with devices.json and secrets/host-identity-seed at 0600. */
async function layout() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'strict-'));
  roots.push(base);
  const data = path.join(base, 'data');
  await mkdir(path.join(data, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(data, 'devices.json'), '{}', { mode: 0o600 });
  await writeFile(path.join(data, 'secrets', 'host-identity-seed'), 'x', { mode: 0o600 });
  return { base, data };
}

const targets = { stateFiles: ['devices.json', 'identity.json'], secretDirs: ['secrets'] };

describe('strict modes of the data dir', () => {
  it('accepts a data dir only this user can write (under sticky /tmp)', async () => {
    const { data } = await layout();
    await expect(checkStrictModes(data, targets)).resolves.toBeUndefined();
  });

  it('refuses an existing data dir writable by group/others, with the chmod that fixes it', async () => {
    const { data } = await layout();
    await chmod(data, 0o777);
    await expect(checkStrictModes(data, targets)).rejects.toThrow(`data dir ${data} is writable by group/others (mode 777): run chmod 700 ${data}`);
    await chmod(data, 0o770);
    await expect(checkStrictModes(data, targets)).rejects.toThrow(/\(mode 770\): run chmod 700/);
  });

  it('refuses a group/world-writable state file, secrets dir or secret file', async () => {
    const { data } = await layout();
    await chmod(path.join(data, 'devices.json'), 0o666);
    await expect(checkStrictModes(data, targets)).rejects.toThrow(`state file ${path.join(data, 'devices.json')} is writable by group/others (mode 666): run chmod 600 ${path.join(data, 'devices.json')}`);
    await chmod(path.join(data, 'devices.json'), 0o600);
    await chmod(path.join(data, 'secrets'), 0o733);
    await expect(checkStrictModes(data, targets)).rejects.toThrow(`secrets dir ${path.join(data, 'secrets')} is writable by group/others (mode 733): run chmod 700`);
    await chmod(path.join(data, 'secrets'), 0o700);
    await chmod(path.join(data, 'secrets', 'host-identity-seed'), 0o620);
    await expect(checkStrictModes(data, targets)).rejects.toThrow(/^secret file .*host-identity-seed is writable by group\/others \(mode 620\): run chmod 600/);
  });

  it('refuses a data dir owned by someone else (seen from another uid)', async () => {
    const { data } = await layout();
    const other = uid + 1;
    await expect(checkStrictModes(data, targets, { uid: other })).rejects.toThrow(
      `data dir ${data} is owned by another user (uid ${uid}), not by you (uid ${other}): someone else may have put it there; check it, then run chown -R ${other} ${data}, or choose another --data-dir`,
    );
  });

  it('refuses a parent that others can write without the sticky bit, accepts it with the bit', async () => {
    const { base, data } = await layout();
    await chmod(base, 0o777);
    await expect(checkStrictModes(data, targets)).rejects.toThrow(`${base} (a parent of data dir ${data}) is writable by group/others (mode 777): run chmod go-w ${base}, or choose another --data-dir`);
    await chmod(base, 0o1777);
    await expect(checkStrictModes(data, targets)).resolves.toBeUndefined();
  });

  it('refuses a parent owned by another user (not root), who could swap the data dir', async () => {
    const { base, data } = await layout();
    const statAs = async (p: string) => {
      const st = await stat(p);
      return p === base ? { uid: 4242, mode: st.mode, isDirectory: () => st.isDirectory() } : st;
    };
    await expect(checkStrictModes(data, targets, { uid, stat: statAs })).rejects.toThrow(
      `${base} (a parent of data dir ${data}) is owned by another user (uid 4242), who could replace the data dir: choose a --data-dir under a directory only you or root own`,
    );
  });

  it('checks nothing where there are no POSIX owners (Windows)', async () => {
    const { data } = await layout();
    await chmod(data, 0o777);
    await expect(checkStrictModes(data, targets, { uid: undefined })).resolves.toBeUndefined();
  });
});
