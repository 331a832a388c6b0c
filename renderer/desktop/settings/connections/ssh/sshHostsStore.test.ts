import { describe, expect, it } from 'vitest';
import { createSshHostsStore, listedHosts } from './sshHostsStore';
import { hostInfo, refusal, testSession } from './testSession';

const list = (hosts = [hostInfo({ name: 'box' })]) => ({ configFile: '/home/me/.ssh/config', hosts, problems: [], prompts: [] });
const until = async (cond: () => boolean) => {
  const end = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('the SSH hosts store', () => {
  it('subscribes to the ssh notifications before it lists, and loads the hosts and projects', async () => {
    const s = testSession({ 'host/notifications/subscribe': () => ({}), 'host/ssh/list': () => list(), 'host/ssh/projects/list': () => ({ projects: [] }) });
    const store = createSshHostsStore(s);
    store.getState().start();
    await until(() => store.getState().phase === 'ready');
    expect(s.calls.map((c) => c.method)).toEqual(['host/notifications/subscribe', 'host/ssh/list', 'host/ssh/projects/list']);
    expect(s.calls[0]!.params).toEqual({ methods: ['host/ssh/changed', 'host/ssh/prompt', 'host/ssh/prompt/closed', 'host/ssh/projects/changed'] });
    expect(listedHosts(store.getState()).map((h) => h.name)).toEqual(['box']);
  });

  it('follows host/ssh/changed, prompts and projects live, and ignores notifications it cannot read', async () => {
    const s = testSession({ 'host/notifications/subscribe': () => ({}), 'host/ssh/list': () => list(), 'host/ssh/projects/list': () => ({ projects: [] }) });
    const store = createSshHostsStore(s);
    store.getState().start();
    await until(() => store.getState().phase === 'ready');
    s.notify('host/ssh/changed', { name: 'box', host: hostInfo({ name: 'box', enabled: true, state: 'connecting', phase: 'checking-codex' }) });
    expect(store.getState().hosts[0]).toMatchObject({ state: 'connecting', phase: 'checking-codex' });
    s.notify('host/ssh/changed', { name: 'box', host: { name: 'box', state: 'nonsense' } });
    expect(store.getState().hosts[0]).toMatchObject({ state: 'connecting' });
    const prompt = { promptId: '0123456789abcdef', host: 'box', kind: 'password', title: 'Password for me@box', instructions: '', prompts: [{ text: 'Password:', echo: false }], expiresAt: new Date().toISOString() };
    s.notify('host/ssh/prompt', prompt);
    s.notify('host/ssh/prompt', prompt);
    expect(store.getState().prompts).toHaveLength(1);
    s.notify('host/ssh/prompt/closed', { promptId: prompt.promptId, host: 'box' });
    expect(store.getState().prompts).toEqual([]);
    s.notify('host/ssh/projects/changed', { projects: [{ host: 'box', path: '/srv/app', name: 'app', addedAt: '2026-01-01T00:00:00Z' }] });
    expect(store.getState().projects.map((p) => p.path)).toEqual(['/srv/app']);
    s.notify('host/ssh/changed', { name: 'box' });
    expect(store.getState().hosts).toEqual([]);
  });

  it('marks a host busy while the host is asked, shows its answer, and keeps a refusal beside the host without flipping anything', async () => {
    let release!: (v: unknown) => void;
    const s = testSession({
      'host/notifications/subscribe': () => ({}),
      'host/ssh/list': () => list(),
      'host/ssh/projects/list': () => ({ projects: [] }),
      'host/ssh/enable': () => new Promise((r) => (release = r)),
      'host/ssh/restart': () => {
        throw refusal('box is not enabled; connect it first');
      },
    });
    const store = createSshHostsStore(s);
    store.getState().start();
    await until(() => store.getState().phase === 'ready');
    const enabling = store.getState().setEnabled('box', true);
    expect(store.getState().pending).toEqual({ box: 'enable' });
    expect(store.getState().hosts[0]!.enabled).toBe(false);
    release({ host: hostInfo({ name: 'box', enabled: true, state: 'connecting', phase: 'resolving' }) });
    await enabling;
    expect(store.getState().pending).toEqual({});
    expect(store.getState().hosts[0]).toMatchObject({ enabled: true, state: 'connecting' });

    await store.getState().restart('box');
    expect(store.getState().actionErrors).toEqual({ box: 'box is not enabled; connect it first' });
    expect(store.getState().hosts[0]).toMatchObject({ enabled: true, state: 'connecting' });
  });

  it('a result the host sends in another shape is an error on screen, not a broken list', async () => {
    const s = testSession({ 'host/notifications/subscribe': () => ({}), 'host/ssh/list': () => ({ hosts: 'no' }), 'host/ssh/projects/list': () => ({ projects: [] }) });
    const store = createSshHostsStore(s);
    store.getState().start();
    await until(() => store.getState().phase !== 'loading');
    expect(store.getState().phase).toBe('error');
    expect(store.getState().loadError).toMatch(/^host\/ssh\/list result: /);
  });

  it('loads again after a reconnect (a new connection has no subscriptions), and stops listening on dispose', async () => {
    let n = 0;
    const s = testSession({ 'host/notifications/subscribe': () => ({}), 'host/ssh/list': () => (n++, list()), 'host/ssh/projects/list': () => ({ projects: [] }) });
    const store = createSshHostsStore(s);
    store.getState().start();
    await until(() => n === 1);
    s.reconnect();
    await until(() => n === 2);
    store.getState().dispose();
    s.notify('host/ssh/changed', { name: 'box' });
    expect(store.getState().hosts).toHaveLength(1);
  });
});
