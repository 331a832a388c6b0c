/**
 * What a tap on a notification does (docs/notifications.md "Opening a notification"). The
 * notification comes from a host's own registration (`/push/<hostId>/`) while the app page is
 * controlled by the shell's (`/`), and a worker may only `navigate()` the windows it controls,
 * so an open app window is asked to go to the link by message (the page routes it itself, see
 * platform/notificationLinks.ts) and brought to the front; with no window open, one opens at
 * the link.
 */

/** The message a worker posts to an open app window; the page checks exactly this shape. */
export const OPEN_LINK_MESSAGE = 'codex-phone/open-link';

export interface OpenLinkMessage {
  readonly type: typeof OPEN_LINK_MESSAGE;
  /** Always a same-origin path with a fragment route (pushMessage.ts keeps nothing else). */
  readonly url: string;
}

export interface WindowClientLike {
  readonly url: string;
  readonly focused?: boolean;
  postMessage(message: OpenLinkMessage): void;
  focus(): Promise<unknown>;
}

export interface ClientsLike {
  matchAll(o: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
  openWindow(url: string): Promise<unknown>;
}

/** Opens `url` (same origin) in the app: the focused app window if any, else the first, else a new one. */
export async function openNotificationLink(clients: ClientsLike, origin: string, url: string): Promise<'posted' | 'opened'> {
  const windows = (await clients.matchAll({ type: 'window', includeUncontrolled: true })).filter((w) => new URL(w.url).origin === origin);
  const target = windows.find((w) => w.focused) ?? windows[0];
  if (!target) {
    await clients.openWindow(new URL(url, origin).href);
    return 'opened';
  }
  target.postMessage({ type: OPEN_LINK_MESSAGE, url });
  // Focusing needs the user's tap behind it; a window that cannot be focused still got the link.
  await target.focus().catch(() => undefined);
  return 'posted';
}
