import { describe, expect, it } from 'vitest';
import { OPEN_LINK_MESSAGE, openNotificationLink, type ClientsLike, type OpenLinkMessage, type WindowClientLike } from './notificationOpen';

const ORIGIN = 'https://relay.example';
const LINK = `/#/hosts/${'a'.repeat(32)}/threads/t1`;

function windowAt(url: string, opts: { focused?: boolean; focusFails?: boolean } = {}) {
  const posted: OpenLinkMessage[] = [];
  let focusCalls = 0;
  const w: WindowClientLike = {
    url,
    ...(opts.focused !== undefined ? { focused: opts.focused } : {}),
    postMessage: (m) => posted.push(m),
    focus: async () => {
      focusCalls++;
      if (opts.focusFails) throw new Error('InvalidAccessError');
      return w;
    },
  };
  return { w, posted, focusCalls: () => focusCalls };
}

function clientsOf(windows: WindowClientLike[]) {
  const opened: string[] = [];
  const clients: ClientsLike = { matchAll: async () => windows, openWindow: async (u) => opened.push(u) };
  return { clients, opened };
}

describe('tapping a notification', () => {
  it('hands the link to the open app window (the host’s worker cannot navigate a page it does not control) and focuses it', async () => {
    const app = windowAt(`${ORIGIN}/#/`);
    const { clients, opened } = clientsOf([app.w]);
    expect(await openNotificationLink(clients, ORIGIN, LINK)).toBe('posted');
    expect(app.posted).toEqual([{ type: OPEN_LINK_MESSAGE, url: LINK }]);
    expect(app.focusCalls()).toBe(1);
    expect(opened).toEqual([]);
  });

  it('prefers the focused app window and ignores windows of other origins', async () => {
    const other = windowAt('https://elsewhere.example/');
    const back = windowAt(`${ORIGIN}/#/settings`, { focused: false });
    const front = windowAt(`${ORIGIN}/#/`, { focused: true });
    const { clients } = clientsOf([other.w, back.w, front.w]);
    await openNotificationLink(clients, ORIGIN, LINK);
    expect(front.posted).toHaveLength(1);
    expect(back.posted).toEqual([]);
    expect(other.posted).toEqual([]);
  });

  it('still delivers the link when the window cannot be focused', async () => {
    const app = windowAt(`${ORIGIN}/#/`, { focusFails: true });
    const { clients } = clientsOf([app.w]);
    await expect(openNotificationLink(clients, ORIGIN, LINK)).resolves.toBe('posted');
    expect(app.posted).toHaveLength(1);
  });

  it('opens the app at the link when no app window is open', async () => {
    const { clients, opened } = clientsOf([windowAt('https://elsewhere.example/').w]);
    expect(await openNotificationLink(clients, ORIGIN, LINK)).toBe('opened');
    expect(opened).toEqual([`${ORIGIN}${LINK}`]);
  });
});
