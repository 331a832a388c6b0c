/**
 * The remote-TUI listener configured at run time (ListenerControl with the real validation and
 * real files, a scripted listener start): the rules of `serve --listen`, state left intact by
 * bad input or a failed start, the generated token file, and flags that fix the listener.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListenerSettings } from '../../shared/protocol/features/listenerApi.js';
import { silentLogger } from '../../shared/util/logger.js';
import { writeFileAtomic } from '../storage/atomicFile.js';
import { ListenerControl, type RunningListener } from './listenerControl.js';
import { parseListenerOptions, type ListenerConfig } from './listenerOptions.js';
import { DEFAULT_LISTENER_SETTINGS, loadListenerSettings, saveListenerSettings } from './listenerSettings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'listener-control-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Started {
  config: ListenerConfig;
  disposed: boolean;
}

function setup(o: { flags?: ListenerConfig; settings?: ListenerSettings; busyPorts?: Set<string>; failSave?: () => boolean } = {}) {
  const started: Started[] = [];
  const events: string[] = [];
  const control = new ListenerControl({
    dataDir: dir,
    ...(o.flags ? { flags: o.flags } : {}),
    settings: o.settings ?? DEFAULT_LISTENER_SETTINGS,
    start: async (config): Promise<RunningListener> => {
      if (o.busyPorts?.has(config.listenUrl)) throw new Error(`listen ${config.listenUrl.replace('ws://', '')}: address already in use`);
      const entry: Started = { config, disposed: false };
      started.push(entry);
      const port = config.address.port || 40000;
      return {
        url: `ws://${config.address.host}:${port}`,
        async dispose() {
          entry.disposed = true;
        },
      };
    },
    save: async (s) => {
      if (o.failSave?.()) throw new Error('ENOSPC: no space left on device');
      await saveListenerSettings(dir, s);
    },
    writeToken: (file, token) => writeFileAtomic(file, token, 0o600).catch(async (err: unknown) => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return writeFileAtomic(file, token, 0o600);
      throw err;
    }),
    clients: () => 2,
    onChanged: () => events.push('changed'),
    logger: silentLogger,
    platform: 'linux',
  });
  const running = () => started.filter((s) => !s.disposed);
  return { control, started, running, events };
}

const on = (s: Partial<ListenerSettings> = {}): ListenerSettings => ({ enabled: true, listen: 'ws://127.0.0.1:8765', auth: 'none', ...s });

describe('the remote-TUI listener at run time', () => {
  it('starts on loopback without auth, shows the command, saves the settings; off stops it', async () => {
    const { control, running, events } = setup();
    await control.boot();
    expect(control.view()).toMatchObject({ state: 'off', fixedByFlags: false, clients: 0 });
    const view = await control.set(on());
    expect(running().map((s) => s.config.listenUrl)).toEqual(['ws://127.0.0.1:8765']);
    expect(view).toMatchObject({ state: 'listening', url: 'ws://127.0.0.1:8765', command: 'codex --remote ws://127.0.0.1:8765', clients: 2 });
    expect((await loadListenerSettings(dir)).settings).toEqual(on());
    const off = await control.set(on({ enabled: false }));
    expect(running()).toEqual([]);
    expect(off).toMatchObject({ state: 'off', settings: { enabled: false } });
    expect(off.url).toBeUndefined();
    expect(events).toEqual(['changed', 'changed']);
  });

  it('generates a 0600 token file in the data dir and gives the command that reads it', async () => {
    const { control, running } = setup();
    const { tokenFile } = await control.generateToken();
    expect(tokenFile).toBe(path.join(dir, 'secrets', 'listener-token'));
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const token = await readFile(tokenFile, 'utf8');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = await control.set(on({ listen: 'ws://0.0.0.0:8765', auth: 'capability-token', tokenFile }));
    expect(view.state).toBe('listening');
    expect(view.command).toMatch(new RegExp(`^CODEX_TOKEN=\\$\\(cat ${tokenFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) codex --remote ws://[0-9.]+:8765 --remote-auth-token-env CODEX_TOKEN$`));
    // The token itself is in no answer.
    expect(JSON.stringify(view)).not.toContain(token);
    // A new token is picked up by the running listener (it restarts on the same address).
    const first = running()[0]!;
    await control.generateToken();
    expect(first.disposed).toBe(true);
    expect(running()).toHaveLength(1);
    expect(await readFile(tokenFile, 'utf8')).not.toBe(token);
  });

  it('applies the rules of serve --listen, and a refused setting leaves the running listener and the file as they were', async () => {
    const { control, running } = setup();
    await control.set(on());
    const before = await readFile(path.join(dir, 'listener.json'), 'utf8');
    await expect(control.set(on({ listen: 'ws://0.0.0.0:8765' }))).rejects.toMatchObject({
      code: -32602,
      message: 'host/listener/set: refusing to start non-loopback websocket listener 0.0.0.0:8765 without auth: choose an auth mode',
    });
    await expect(control.set(on({ listen: 'http://127.0.0.1:1' }))).rejects.toMatchObject({ code: -32602, message: 'host/listener/set: unsupported --listen URL `http://127.0.0.1:1`; expected `ws://IP:PORT`' });
    await expect(control.set(on({ auth: 'capability-token' }))).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('`--ws-token-file` or `--ws-token-sha256` is required') });
    await expect(control.set(on({ auth: 'capability-token', tokenFile: 'relative/token' }))).rejects.toMatchObject({ message: 'host/listener/set: --ws-token-file must be an absolute path (got `relative/token`)' });
    await expect(control.set(on({ auth: 'capability-token', tokenFile: path.join(dir, 'missing') }))).rejects.toMatchObject({ message: expect.stringContaining('No such file or directory') });
    const shortSecret = path.join(dir, 'short');
    await writeFile(shortSecret, 'too short', { mode: 0o600 });
    await expect(control.set(on({ auth: 'signed-bearer-token', sharedSecretFile: shortSecret }))).rejects.toMatchObject({ message: expect.stringContaining('must be at least 32 bytes') });
    expect(running().map((s) => s.config.listenUrl)).toEqual(['ws://127.0.0.1:8765']);
    expect(await readFile(path.join(dir, 'listener.json'), 'utf8')).toBe(before);
    expect(control.view()).toMatchObject({ state: 'listening', url: 'ws://127.0.0.1:8765' });
  });

  it('a taken port restores the previous listener and changes nothing', async () => {
    const { control, running } = setup({ busyPorts: new Set(['ws://127.0.0.1:9999']) });
    await control.set(on());
    await expect(control.set(on({ listen: 'ws://127.0.0.1:9999' }))).rejects.toMatchObject({
      code: -32603,
      message: 'host/listener/set: listen 127.0.0.1:9999: address already in use; nothing was changed',
    });
    expect(running().map((s) => s.config.listenUrl)).toEqual(['ws://127.0.0.1:8765']);
    expect((await loadListenerSettings(dir)).settings.listen).toBe('ws://127.0.0.1:8765');
  });

  it('settings that cannot be saved undo the restart', async () => {
    let fail = false;
    const { control, running } = setup({ failSave: () => fail });
    await control.set(on());
    fail = true;
    await expect(control.set(on({ listen: 'ws://127.0.0.1:7777' }))).rejects.toMatchObject({ code: -32603, message: expect.stringContaining('could not be saved (ENOSPC') });
    expect(running().map((s) => s.config.listenUrl)).toEqual(['ws://127.0.0.1:8765']);
  });

  it('stored settings that no longer work leave the listener off with the reason; the host still starts', async () => {
    const { control } = setup({ settings: on({ auth: 'capability-token', tokenFile: path.join(dir, 'gone') }) });
    await control.boot();
    expect(control.view()).toMatchObject({ state: 'failed', lastError: expect.stringContaining('failed to read websocket auth secret') });
    expect(control.problem).toMatch(/^the remote-TUI listener did not start: /);
  });

  it('flags given to serve fix the listener: shown, not changeable', async () => {
    const tokenFile = path.join(dir, 'flag-token');
    await writeFile(tokenFile, 'secret-token', { mode: 0o600 });
    const flags = parseListenerOptions({ listen: 'ws://127.0.0.1:4500', wsAuth: 'capability-token', wsTokenFile: tokenFile });
    const { control, running } = setup({ flags });
    await control.boot();
    expect(running()).toHaveLength(1);
    expect(control.view()).toMatchObject({ fixedByFlags: true, state: 'listening', settings: { enabled: true, listen: 'ws://127.0.0.1:4500', auth: 'capability-token', tokenFile } });
    await expect(control.set(on())).rejects.toMatchObject({ code: -32600, message: 'host/listener/set: the listener is set by --listen on the serve command line; start the host without it to configure the listener here' });
  });

  it('gives a PowerShell command on Windows hosts', async () => {
    const { remoteTuiCommand } = await import('./remoteTuiCommand.js');
    expect(remoteTuiCommand({ url: 'ws://127.0.0.1:8765', auth: 'capability-token', tokenFile: "C:\\Users\\o'neil\\token", platform: 'win32' })).toBe(
      "$env:CODEX_TOKEN = Get-Content -Raw 'C:\\Users\\o''neil\\token'; codex --remote ws://127.0.0.1:8765 --remote-auth-token-env CODEX_TOKEN",
    );
    expect(remoteTuiCommand({ url: 'ws://127.0.0.1:8765', auth: 'signed-bearer-token', platform: 'linux' })).toBe('CODEX_TOKEN=YOUR_SIGNED_JWT codex --remote ws://127.0.0.1:8765 --remote-auth-token-env CODEX_TOKEN');
    expect(remoteTuiCommand({ url: 'ws://127.0.0.1:8765', auth: 'capability-token', tokenFile: '/home/me/my token', platform: 'darwin' })).toBe(
      "CODEX_TOKEN=$(cat '/home/me/my token') codex --remote ws://127.0.0.1:8765 --remote-auth-token-env CODEX_TOKEN",
    );
  });
});
