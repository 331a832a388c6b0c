// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SshTab } from './SshTab';
import { hostInfo, refusal, testSession, type Handler } from './testSession';

afterEach(cleanup);

const FP = 'SHA256:DB+q1POVBVePnuLFAF78Z596HNLGEdE4Rr78lFxK6DI';
const base = (hosts = [hostInfo({ name: 'box' })], more: Record<string, Handler> = {}) =>
  testSession({
    'host/notifications/subscribe': () => ({}),
    'host/ssh/list': () => ({ configFile: '/home/me/.ssh/config', hosts, problems: [{ file: '/home/me/.ssh/config.d/work', line: 3, alias: 'bad', error: 'line 3: Unexpected line break' }], prompts: [] }),
    'host/ssh/projects/list': () => ({ projects: [] }),
    ...more,
  });

describe('the SSH tab', () => {
  it('says "Loading SSH hosts…" until the host answers, then the empty state offers Add', async () => {
    let answer!: (v: unknown) => void;
    const s = base([], { 'host/ssh/list': () => new Promise((r) => (answer = r)) });
    render(<SshTab session={s} />);
    expect(screen.getByText('Loading SSH hosts…')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'SSH hosts' })).toBeTruthy();
    await waitFor(() => expect(answer).toBeTypeOf('function'));
    expect(screen.getByText('Loading SSH hosts…')).toBeTruthy();
    await act(async () => answer({ configFile: '/c', hosts: [], problems: [], prompts: [] }));
    expect(await screen.findByText('No SSH hosts yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('dialog', { name: 'Add SSH hosts' })).toBeTruthy();
  });

  it('a row shows alias, status, target and the unknown key with Trust, which sends exactly that fingerprint', async () => {
    const trusted: unknown[] = [];
    const box = hostInfo({
      name: 'box',
      enabled: true,
      state: 'error',
      details: { hostName: '10.0.0.5', port: 2222, user: 'me', identityFiles: [], via: [] },
      lastError: { code: 'host-key-unknown', message: `Host key unknown — fingerprint ${FP} (ssh-ed25519); check it with the host's owner, then trust it`, fix: 'Compare the fingerprint, then Trust it.', fingerprint: FP, keyType: 'ssh-ed25519' },
    });
    const s = base([box], { 'host/ssh/trust': (p) => (trusted.push(p), { host: { ...box, state: 'connecting', phase: 'connecting', lastError: undefined } }) });
    render(<SshTab session={s} />);
    const row = await screen.findByTestId('ssh-host-box');
    expect(within(row).getByTestId('ssh-status').textContent).toBe('Error');
    expect(row.querySelector('.ssh-row-sub')!.textContent).toBe('me@10.0.0.5:2222');
    expect(row.querySelector('.ssh-error-title')!.textContent).toBe(`Host key unknown — fingerprint ${FP} (ssh-ed25519)`);
    expect((within(row).getByRole('switch') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(row).getByRole('button', { name: 'Trust' }));
    await waitFor(() => expect(within(row).getByTestId('ssh-status').textContent).toBe('Connecting… connecting'));
    expect(trusted).toEqual([{ name: 'box', fingerprint: FP }]);
    expect(within(row).queryByTestId('ssh-host-error')).toBeNull();
  });

  it('a changed key, codex too old, sign-in: the headline and the fix, and no Trust', async () => {
    const s = base([
      hostInfo({ name: 'a', enabled: true, state: 'error', lastError: { code: 'host-key-changed', message: 'Host key changed — refusing to connect: known_hosts line 4 has SHA256:x', fix: 'Remove the old key (ssh-keygen -R HOST).', fingerprint: FP } }),
      hostInfo({ name: 'b', enabled: true, state: 'error', lastError: { code: 'codex-too-old', message: 'Update Codex on this host (found 0.100.0, need ≥ 0.169.0): run npm install -g @openai/codex@latest there', fix: 'Run npm install -g @openai/codex@latest on the host, then Restart connection.', foundVersion: '0.100.0', neededVersion: '0.169.0' } }),
      hostInfo({ name: 'c', enabled: true, state: 'error', lastError: { code: 'sign-in', message: 'Sign in to Codex on this host: run codex login there (as me), then restart the connection', fix: 'Run codex login on the host as this user, then Restart connection.' } }),
    ]);
    render(<SshTab session={s} />);
    const a = await screen.findByTestId('ssh-host-a');
    expect(a.querySelector('.ssh-error-title')!.textContent).toBe('Host key changed — refusing to connect');
    expect(within(a).queryByRole('button', { name: 'Trust' })).toBeNull();
    const b = screen.getByTestId('ssh-host-b');
    expect(b.querySelector('.ssh-error-title')!.textContent).toBe('Update Codex on this host');
    expect(b.querySelector('.ssh-error-line')!.textContent).toBe('Found codex 0.100.0, needs 0.169.0 or newer.');
    const c = screen.getByTestId('ssh-host-c');
    expect(c.querySelector('.ssh-error-title')!.textContent).toBe('Sign in to Codex on this host');
    // The host's sentence says the fix already: it shows once.
    expect(c.querySelector('.ssh-error-message')!.textContent).toBe('Run codex login there (as me), then restart the connection');
    expect(c.querySelector('.ssh-error-fix')).toBeNull();
  });

  it('the toggle shows the pending change while the host is asked, and what the host says after (a refusal flips it back, with the reason)', async () => {
    let refuse!: (e: unknown) => void;
    const s = base([hostInfo({ name: 'box' })], { 'host/ssh/enable': () => new Promise((_, rej) => (refuse = rej)) });
    render(<SshTab session={s} />);
    const sw = (await screen.findByRole('switch', { name: 'Connect box' })) as HTMLInputElement;
    fireEvent.click(sw);
    expect(sw.checked).toBe(true);
    expect(sw.disabled).toBe(true);
    await act(async () => refuse(refusal('box: the ssh config could not be read')));
    expect(sw.checked).toBe(false);
    expect(screen.getByRole('alert').textContent).toBe('box: the ssh config could not be read');
  });

  it('the Add dialog lists the discovered aliases with checkboxes and the unreadable entries with their error; checking one picks it', async () => {
    const picked: unknown[] = [];
    const other = hostInfo({ name: 'other', listed: false, line: 9 });
    const s = base([hostInfo({ name: 'box' }), other], { 'host/ssh/pick': (p) => (picked.push(p), { host: { ...other, listed: true } }) });
    render(<SshTab session={s} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add' }));
    const list = screen.getByRole('list', { name: 'Hosts in your SSH config' });
    const boxes = within(list).getAllByRole('checkbox') as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, false]);
    expect(screen.getByRole('list', { name: 'Entries that could not be read' }).textContent).toBe('bad · workline 3: Unexpected line break');
    fireEvent.click(boxes[1]!);
    await waitFor(() => expect(screen.getAllByTestId(/^ssh-host-/)).toHaveLength(2));
    expect(picked).toEqual([{ name: 'other' }]);
  });

  it('Add manually checks the port before asking, and shows the host’s refusal in its own words', async () => {
    const s = base([], { 'host/ssh/add': () => Promise.reject(refusal('"nobody@devbox" needs a reachable host')) });
    render(<SshTab session={s} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add' }));
    fireEvent.click(screen.getByRole('tab', { name: 'Add manually' }));
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'devbox' } });
    fireEvent.change(screen.getByLabelText('User and host'), { target: { value: 'nobody@devbox' } });
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add host' }));
    expect(screen.getByText('A number from 1 to 65535')).toBeTruthy();
    expect(s.calls.some((c) => c.method === 'host/ssh/add')).toBe(false);
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: '2222' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add host' }));
    expect((await screen.findByRole('alert')).textContent).toBe('"nobody@devbox" needs a reachable host');
    expect(s.calls.find((c) => c.method === 'host/ssh/add')!.params).toEqual({ name: 'devbox', destination: 'nobody@devbox', port: 2222 });
  });

  it('a password prompt is a dialog; Continue sends the answer once, Cancel cancels it on the host', async () => {
    const answers: unknown[] = [];
    const s = base([hostInfo({ name: 'box', enabled: true, state: 'connecting', phase: 'authenticating' })], {
      'host/ssh/prompt/answer': (p) => (answers.push(p), { answered: true }),
      'host/ssh/prompt/cancel': () => ({ cancelled: true }),
    });
    render(<SshTab session={s} />);
    await screen.findByTestId('ssh-host-box');
    const prompt = { promptId: 'aaaaaaaaaaaaaaaa', host: 'box', kind: 'password', title: 'Password for me@box', instructions: '', prompts: [{ text: 'Password:', echo: false }], expiresAt: new Date(Date.now() + 60_000).toISOString() };
    act(() => s.notify('host/ssh/prompt', prompt));
    const dialog = screen.getByRole('dialog', { name: 'Password for me@box' });
    const field = within(dialog).getByLabelText('Password:') as HTMLInputElement;
    expect(field.type).toBe('password');
    fireEvent.change(field, { target: { value: 'hunter2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(field.value).toBe(''));
    expect(answers).toEqual([{ promptId: 'aaaaaaaaaaaaaaaa', answers: ['hunter2'] }]);
    act(() => s.notify('host/ssh/prompt/closed', { promptId: 'aaaaaaaaaaaaaaaa', host: 'box' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('the folder picker: loading, the folders, Up, "No folders here", "Can\'t open this folder" with the way back', async () => {
    let pending: ((v: unknown) => void) | undefined;
    const folders: Record<string, unknown> = {
      '~': { host: 'box', path: '/home/me', parent: '/home', entries: [{ name: 'app', path: '/home/me/app', hidden: false }, { name: 'locked', path: '/home/me/locked', hidden: false }, { name: '.git', path: '/home/me/.git', hidden: true }], truncated: false },
      '/home/me/app': { host: 'box', path: '/home/me/app', parent: '/home/me', entries: [], truncated: false },
    };
    const s = base([hostInfo({ name: 'box', enabled: true, state: 'connected', details: { hostName: 'h', identityFiles: [], via: [], remote: { codexVersion: '0.171.0', shell: '/bin/bash', user: 'me' } } })], {
      'host/ssh/browse': (p) => {
        const path = (p as { path: string }).path;
        if (path === '/home/me/locked') throw refusal("Can't open this folder: /home/me/locked: permission denied");
        return new Promise((r) => (pending = () => r(folders[path] ?? folders['~'])));
      },
    });
    render(<SshTab session={s} />);
    const row = await screen.findByTestId('ssh-host-box');
    fireEvent.click(within(row).getByRole('button', { name: 'More for box' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Add remote project' }));
    const picker = screen.getByTestId('ssh-folder-picker');
    expect(within(picker).getAllByText('Loading folder contents…').length).toBeGreaterThan(0);
    await act(async () => pending!(undefined));
    expect(within(picker).getByTestId('ssh-picker-path').textContent).toBe('/home/me');
    expect(within(picker).getByRole('list').textContent).toBe('applocked');
    fireEvent.click(within(picker).getByRole('button', { name: 'app' }));
    await act(async () => pending!(undefined));
    expect(within(picker).getByText('No folders here')).toBeTruthy();
    fireEvent.click(within(picker).getByRole('button', { name: 'Up' }));
    await act(async () => pending!(undefined));
    fireEvent.click(within(picker).getByRole('button', { name: 'locked' }));
    const err = await within(picker).findByRole('alert');
    expect(err.textContent).toContain("Can't open this folder");
    expect(err.textContent).toContain('/home/me/locked: permission denied');
    fireEvent.click(within(err).getByRole('button', { name: 'Back to /home/me' }));
    await act(async () => pending!(undefined));
    expect(within(picker).getByTestId('ssh-picker-path').textContent).toBe('/home/me');
  });
});
