/**
 * The red-team findings on local files, state and restarts, each replayed against the real
 * `codex-host serve` (real engine, fake model API, embedded relay) with what an operator sees:
 * - P2: a data dir, `secrets/` or state file someone else owns or can write → refused with the fix;
 * - P11: one host per data dir, whatever the first one's control endpoint does;
 * - P13/P18: a FIFO or /dev/zero as the token file → a clear refusal, no hang; a world-readable one → a warning;
 * - P14/P17: a corrupt device list keeps warning across restarts until the aside file is gone; temp files of interrupted writes are removed;
 * - P18: the embedded relay keeps its port across restarts, so a paired phone resumes; a taken port → the fix;
 * - P15: invisible device names are refused, format characters stripped.
 * The ownership cases chown to `nobody` and therefore run as root (as `npm test` does here).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pair, resume } from '../shared/controller/index.js';
import { testPhone } from './fixtures/controller.js';
import { runCliAsync, type HostProcess } from './fixtures/hostProcess.js';
import { useStack } from './fixtures/stack.js';

const NOBODY = 65534;
// Every test starts its own hosts, each on a data dir of its own (stopped after the test).
const stack = useStack({ label: 'hardening', relay: 'embedded', host: false });
const dataDir = (): Promise<string> => stack.newDataDir();
const serve = (dir: string, args: readonly string[] = []): Promise<HostProcess> => stack.startHost({ dataDir: dir, args });

/** A `serve` that must fail: its exit code and stderr, within `ms` (a hang fails the test). */
async function serveFails(dir: string, args: readonly string[] = [], ms = 20_000): Promise<{ code: number | null; stderr: string }> {
  return stack.within(ms, runCliAsync(['serve', '--data-dir', dir, ...args], stack.env), 'exit of codex-host serve');
}

function noStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at /);
}

const cli = (args: readonly string[], dir: string) => stack.cli(args, { dataDir: dir });

describe('strict modes: a data dir someone else controls is refused (P2)', () => {
  it('runs as root (the ownership cases chown to nobody)', () => {
    expect(process.getuid?.(), 'run the e2e tests as root (npm test in CI does)').toBe(0);
  });

  it('refuses an existing data dir owned by another user', async () => {
    const dir = await dataDir();
    await chown(dir, NOBODY, NOBODY);
    const r = await serveFails(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `codex-host: data dir ${dir} is owned by another user (uid ${NOBODY}), not by you (uid 0): someone else may have put it there; check it, then run chown -R 0 ${dir}, or choose another --data-dir\n`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an existing group/world-writable data dir, and starts once it is fixed', async () => {
    const dir = await dataDir();
    await chmod(dir, 0o777);
    const r = await serveFails(dir, ['--no-remote']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`codex-host: data dir ${dir} is writable by group/others (mode 777): run chmod 700 ${dir}\n`);
    await chmod(dir, 0o700);
    const h = await serve(dir, ['--no-remote']);
    await h.stop();
  });

  it('refuses a state file or secret another user could have swapped in', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'devices.json'), '{"version":1,"devices":[]}', { mode: 0o600 });
    await chmod(join(dir, 'devices.json'), 0o666);
    let r = await serveFails(dir);
    expect(r.stderr).toBe(`codex-host: state file ${join(dir, 'devices.json')} is writable by group/others (mode 666): run chmod 600 ${join(dir, 'devices.json')}\n`);
    await chmod(join(dir, 'devices.json'), 0o600);
    await mkdir(join(dir, 'secrets'), { mode: 0o700 });
    await writeFile(join(dir, 'secrets', 'host-identity-seed'), 'x', { mode: 0o600 });
    await chown(join(dir, 'secrets', 'host-identity-seed'), NOBODY, NOBODY);
    r = await serveFails(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^codex-host: secret file ${join(dir, 'secrets', 'host-identity-seed')} is owned by another user \\(uid ${NOBODY}\\)`));
    noStack(r.stderr);
  });
});

describe('one host per data dir (P11)', () => {
  it('refuses a second host even when the first one’s control endpoint cannot be reached', async () => {
    const dir = await dataDir();
    const first = await serve(dir, ['--no-remote']);
    // What a flooded or slow control port looks like to the old probe: a control file whose URL
    // answers nothing.
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const deadPort = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    const control = JSON.parse(await readFile(join(dir, 'control.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'control.json'), JSON.stringify({ ...control, url: `ws://127.0.0.1:${deadPort}` }), { mode: 0o600 });
    const r = await serveFails(dir, ['--no-remote']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `codex-host: codex-host is already running with data dir ${dir}; stop it first or choose another --data-dir (pid ${first.child.pid} holds ${join(dir, 'host.lock')})\n`,
    );
    expect(first.child.exitCode).toBeNull();
    await first.stop();
    expect(existsSync(join(dir, 'host.lock'))).toBe(false);
  });
});

describe('token files (P13, P18)', () => {
  it('refuses a FIFO or /dev/zero as the token file at once, without hanging or growing', async () => {
    const dir = await dataDir();
    const fifo = join(dir, 'token.fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    for (const [file, kind] of [
      [fifo, 'a FIFO (named pipe)'],
      ['/dev/zero', 'a character device'],
    ] as const) {
      const r = await serveFails(dir, ['--no-remote', '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', file], 15_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`codex-host: failed to read websocket auth secret ${file}: is not a regular file (it is ${kind})\n`);
    }
  });

  it('warns about a token file other users can read, and still starts', async () => {
    const dir = await dataDir();
    const token = join(dir, 'token');
    await writeFile(token, 'a-capability-token-of-some-length\n');
    await chmod(token, 0o644);
    const h = await serve(dir, ['--no-remote', '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', token]);
    expect(h.stderr()).toContain(`WARNING: --ws-token-file ${token} is readable by other users (mode 644): anyone who reads it can connect; run chmod 600 ${token}`);
    await h.stop();
  });
});

describe('state that outlives a crash (P14, P17)', () => {
  it('removes temp files of interrupted writes, and keeps warning about a corrupt device list until its aside copy is gone', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'devices.json'), '{"version":1,"devices":[{"deviceId":', { mode: 0o600 });
    await writeFile(join(dir, 'devices.json.1402886870'), '{"partial', { mode: 0o600 });
    await writeFile(join(dir, 'control.json.77'), '{"partial', { mode: 0o600 });

    let h = await serve(dir);
    expect(existsSync(join(dir, 'devices.json.1402886870'))).toBe(false);
    expect(existsSync(join(dir, 'control.json.77'))).toBe(false);
    const aside = (await readdir(dir)).find((f) => f.startsWith('devices.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(h.stdout()).toMatch(/warning: {2}the trusted-device list .*devices\.json was unreadable/);
    await h.stop();

    // The restart that used to forget it: the warning is still in status and devices.
    h = await serve(dir);
    const warning = `a trusted-device list that could not be read was moved aside to ${join(dir, aside!)}`;
    const status = await cli(['status'], dir);
    expect(status.stdout).toContain(`  warning:  ${warning}`);
    expect(((await cli(['status', '--json'], dir)).stdout as string).includes(warning)).toBe(true);
    expect((await cli(['devices'], dir)).stdout).toContain(`warning: ${warning}`);
    // Acting on it (here: deleting the aside copy) clears it, without a restart.
    await rm(join(dir, aside!));
    expect((await cli(['status'], dir)).stdout).not.toContain('warning');
    expect((await cli(['devices'], dir)).stdout).toBe('No device can control this host. Pair one with `codex-host pair`.\n');
    await h.stop();
  });
});

describe('the embedded relay keeps its port (P18) and names are cleaned (P15)', () => {
  it('a phone paired before a restart resumes after it; a taken port is a clear error', async () => {
    const dir = await dataDir();
    let h = await serve(dir);
    const relayUrl = h.relayUrl!;
    const port = Number(new URL(relayUrl).port);
    expect(JSON.parse(await readFile(join(dir, 'relay.json'), 'utf8'))).toEqual({ version: 1, port });

    const phone = testPhone('Work phone\u200b');
    const { link } = JSON.parse((await cli(['pair', '--json'], dir)).stdout) as { link: string };
    const paired = await pair(link, phone.deps, { reconnect: false });
    paired.session.close();
    const listed = JSON.parse((await cli(['devices', '--json'], dir)).stdout) as { devices: { deviceId: string; name: string }[] };
    expect(listed.devices.find((d) => d.deviceId === phone.deviceId)?.name).toBe('Work phone');
    // host/devices/rename: invisible-only names refused; format characters stripped.
    const bad = await cli(['devices', 'rename', phone.deviceId, '\u200b\u200b'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/must contain a visible character/);
    expect((await cli(['devices', 'rename', phone.deviceId, '\u200eOffice\u200b phone'], dir)).stdout).toContain('to "Office phone"');
    await h.stop();

    h = await serve(dir);
    expect(h.relayUrl).toBe(relayUrl);
    const s = await resume(paired.trustedHost, phone.deps, { reconnect: false });
    expect(s.device?.name).toBe('Office phone');
    await s.rpc.request('initialize', { clientInfo: { name: 'phone', version: '0' } });
    await expect(s.rpc.request('thread/list', { limit: 1 })).resolves.toHaveProperty('data');
    s.close();
    await h.stop();

    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      const r = await serveFails(dir, [], 30_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `codex-host: the embedded relay cannot listen on 127.0.0.1:${port} (address already in use); this host keeps that port (in ${join(dir, 'relay.json')}) so pairing links and paired devices keep working: stop what uses it, or start with --relay-listen 127.0.0.1:PORT for another port`,
      );
      noStack(r.stderr);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});
