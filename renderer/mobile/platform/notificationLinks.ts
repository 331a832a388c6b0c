/**
 * The page's half of opening a notification (sw/notificationOpen.ts): the app window takes the
 * link a service worker posts and goes there. Routes live in the fragment, so going there is a
 * hash change the app already follows (phoneContext.tsx); anything but a same-origin app path
 * is ignored.
 */

/**
 * The message type sw/notificationOpen.ts posts. Spelled out here, not imported: a module both
 * the page and the worker import would become a shared chunk, and the worker is one classic
 * script (the unit test checks the two agree).
 */
export const OPEN_LINK_MESSAGE = 'codex-phone/open-link';

/** The fragment to go to for a posted message, or undefined when the message is not a link for this app. */
export function linkHashOf(data: unknown, origin: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, url } = data as { type?: unknown; url?: unknown };
  if (type !== OPEN_LINK_MESSAGE || typeof url !== 'string' || url.length > 2048) return undefined;
  let u: URL;
  try {
    u = new URL(url, origin);
  } catch {
    return undefined;
  }
  if (u.origin !== origin || u.pathname !== '/') return undefined;
  return u.hash && u.hash !== '#' ? u.hash : '#/';
}

/** Starts following links from notification taps; returns the function that stops it. */
export function followNotificationLinks(container: ServiceWorkerContainer, loc: Location = location): () => void {
  const onMessage = (e: MessageEvent) => {
    const hash = linkHashOf(e.data, loc.origin);
    if (hash !== undefined && hash !== loc.hash) loc.hash = hash;
  };
  container.addEventListener('message', onMessage);
  // Messages wait in a queue until the page says it listens (or the document has loaded).
  container.startMessages();
  return () => container.removeEventListener('message', onMessage);
}
