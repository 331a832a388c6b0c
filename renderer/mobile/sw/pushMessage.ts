/**
 * What a push message shows (docs/notifications.md): the host sends `{title, body, url}` and
 * nothing else, and every push must show a notification (iOS drops subscriptions that push
 * silently), so a message that cannot be read still shows a generic one. The link stays on
 * this origin: a path with a fragment, never another site. No imports: the service worker is
 * one self-contained file.
 */
export interface ShownNotification {
  readonly title: string;
  readonly body: string;
  /** Same-origin path to open on tap. */
  readonly url: string;
}

const FALLBACK: ShownNotification = { title: 'Codex Host', body: 'Something happened on one of your hosts', url: '/' };

function text(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v.trim() ? v.slice(0, max) : undefined;
}

/** The notification for a push message's text (JSON), or the generic one. */
export function notificationOf(data: string | undefined): ShownNotification {
  if (!data) return FALLBACK;
  let v: unknown;
  try {
    v = JSON.parse(data) as unknown;
  } catch {
    return FALLBACK;
  }
  if (typeof v !== 'object' || v === null) return FALLBACK;
  const r = v as Record<string, unknown>;
  return {
    title: text(r.title, 120) ?? FALLBACK.title,
    body: text(r.body, 300) ?? FALLBACK.body,
    url: appLinkOf(r.url),
  };
}

/**
 * `v` when it is one of the app's screens (`/` or `/#/…`: never another site, and not the
 * pairing or push paths), else the app's root. The page accepts exactly the same
 * (platform/notificationLinks.ts).
 */
export function appLinkOf(v: unknown): string {
  const url = text(v, 512);
  return url && /^\/(#\/[^\s\\]*)?$/.test(url) ? url : '/';
}
