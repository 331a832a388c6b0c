/**
 * The phone app's screens as URLs (docs/mobile.md "Screens"). Everything after the pairing link
 * lives in the fragment (`/#/hosts/<hostId>/threads/<threadId>`), so the relay that serves
 * the app never learns which host or thread is open; notification links use the same form
 * (docs/notifications.md). The pairing link itself is `/pair#p=…`.
 */
export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'pair'; readonly link: string }
  | { readonly kind: 'add' }
  | { readonly kind: 'settings'; readonly hostId?: string }
  | { readonly kind: 'host'; readonly hostId: string }
  | { readonly kind: 'new'; readonly hostId: string }
  /** `environmentId`: a link into another environment of the host (a notification's): the phone switches to it first. */
  | { readonly kind: 'thread'; readonly hostId: string; readonly threadId: string; readonly environmentId?: string }
  | { readonly kind: 'diff'; readonly hostId: string; readonly threadId: string; readonly itemId: string; readonly file: number };

const HOST_ID = '[0-9a-f]{32}';
const SEG = '([^/]{1,256})';

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The route of a location (`pathname` and `hash`); `href` is the full address (for the pairing link). */
export function parseRoute(loc: { readonly pathname: string; readonly hash: string; readonly href: string }): Route {
  if (loc.pathname === '/pair' && loc.hash.startsWith('#p=')) return { kind: 'pair', link: loc.href };
  const h = loc.hash.replace(/^#/, '');
  if (h === '/add') return { kind: 'add' };
  if (h === '/settings') return { kind: 'settings' };
  let m = new RegExp(`^/hosts/(${HOST_ID})/threads/${SEG}/diff/${SEG}/(\\d{1,4})$`).exec(h);
  if (m) {
    const threadId = decode(m[2]!);
    const itemId = decode(m[3]!);
    if (threadId && itemId) return { kind: 'diff', hostId: m[1]!, threadId, itemId, file: Number(m[4]) };
  }
  m = new RegExp(`^/hosts/(${HOST_ID})/environments/${SEG}/threads/${SEG}$`).exec(h);
  if (m) {
    const environmentId = decode(m[2]!);
    const threadId = decode(m[3]!);
    if (environmentId && threadId) return { kind: 'thread', hostId: m[1]!, threadId, environmentId };
  }
  m = new RegExp(`^/hosts/(${HOST_ID})/threads/${SEG}$`).exec(h);
  if (m) {
    const threadId = decode(m[2]!);
    if (threadId) return { kind: 'thread', hostId: m[1]!, threadId };
  }
  m = new RegExp(`^/hosts/(${HOST_ID})/about$`).exec(h);
  if (m) return { kind: 'settings', hostId: m[1]! };
  m = new RegExp(`^/hosts/(${HOST_ID})/new$`).exec(h);
  if (m) return { kind: 'new', hostId: m[1]! };
  m = new RegExp(`^/hosts/(${HOST_ID})$`).exec(h);
  if (m) return { kind: 'host', hostId: m[1]! };
  return { kind: 'home' };
}

/** The fragment URL of a route (the pairing route has none: it is only ever opened from a link). */
export function hrefOf(route: Route): string {
  switch (route.kind) {
    case 'home':
    case 'pair':
      return '/#/';
    case 'add':
      return '/#/add';
    case 'settings':
      return route.hostId ? `/#/hosts/${route.hostId}/about` : '/#/settings';
    case 'host':
      return `/#/hosts/${route.hostId}`;
    case 'new':
      return `/#/hosts/${route.hostId}/new`;
    case 'thread':
      return route.environmentId
        ? `/#/hosts/${route.hostId}/environments/${encodeURIComponent(route.environmentId)}/threads/${encodeURIComponent(route.threadId)}`
        : `/#/hosts/${route.hostId}/threads/${encodeURIComponent(route.threadId)}`;
    case 'diff':
      return `/#/hosts/${route.hostId}/threads/${encodeURIComponent(route.threadId)}/diff/${encodeURIComponent(route.itemId)}/${route.file}`;
  }
}
