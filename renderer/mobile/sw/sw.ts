/**
 * The phone app's service worker (docs/mobile.md "Install and offline"). Registered at `/`, it
 * keeps the app shell so the app opens without a network and says "offline" honestly; the
 * same script registered at `/push/<hostId>/` receives that host's Web Push messages (one
 * registration per host, because a browser allows one push subscription per registration and
 * each host has its own VAPID key) and shows each as a notification that opens the thread.
 * Sessions (WebSockets) never pass through here.
 */
import { openNotificationLink, type ClientsLike } from './notificationOpen';
import { appLinkOf, notificationOf } from './pushMessage';

interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(r: Promise<Response> | Response): void;
}
interface PushEventLike extends ExtendableEventLike {
  readonly data: { text(): string } | null;
}
interface NotificationEventLike extends ExtendableEventLike {
  readonly notification: Notification & { readonly data: unknown };
}
interface ServiceWorkerScope {
  readonly registration: ServiceWorkerRegistration;
  readonly location: Location;
  readonly clients: ClientsLike & { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, fn: (e: never) => void): void;
}

const sw = self as unknown as ServiceWorkerScope;
/**
 * This build's scripts and styles, and an id made from them, written in by
 * vite.mobile.config.ts (a build with other files is a new worker: it installs, caches them,
 * and its activation drops the old build's cache). Unbuilt, they stay placeholders.
 */
const BUILD_ASSETS: readonly string[] = ['__CODEX_PHONE_BUILD_ASSETS__'];
const BUILD_ID: string = '__CODEX_PHONE_BUILD_ID__';
const CACHE = `codex-phone-shell-${BUILD_ID}`;
const SHELL = ['/', '/manifest.webmanifest', '/icon.svg', '/icons/icon-192.png', '/icons/badge-96.png'];
/** Android shows neither SVG icons nor a coloured badge: a PNG icon, and the white mark as the badge. */
const NOTIFICATION_ICON = '/icons/icon-192.png';
const NOTIFICATION_BADGE = '/icons/badge-96.png';
const isShellRegistration = () => new URL(sw.registration.scope).pathname === '/';

/**
 * The app shell plus every script and style of this build, so the app opens without a network
 * right after the first visit, not only after a second one (the first visit's files were
 * fetched before this worker existed).
 */
async function precacheShell(): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.addAll([...SHELL, ...BUILD_ASSETS.filter((f) => /^\/assets\/[\w.-]+$/.test(f))]);
}

sw.addEventListener('install', (e: ExtendableEventLike) => {
  if (isShellRegistration()) e.waitUntil(precacheShell().catch(() => undefined));
  void sw.skipWaiting();
});

sw.addEventListener('activate', (e: ExtendableEventLike) => {
  e.waitUntil(
    (async () => {
      // Only the shell keeps caches: a host's notification worker of a newer build must not
      // drop the cache the shell worker of the build before still serves from.
      if (!isShellRegistration()) return;
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (e: FetchEventLike) => {
  const req = e.request;
  if (req.method !== 'GET' || !isShellRegistration()) return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (req.mode === 'navigate') {
    // Network first (a new build wins), the cached shell when there is no network.
    e.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok && (url.pathname === '/' || url.pathname === '/pair')) void caches.open(CACHE).then((c) => c.put('/', res.clone()));
          return res;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change: cache first.
    e.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ??
          fetch(req).then((res) => {
            if (res.ok) void caches.open(CACHE).then((c) => c.put(req, res.clone()));
            return res;
          }),
      ),
    );
  }
});

sw.addEventListener('push', (e: PushEventLike) => {
  let data: string | undefined;
  try {
    data = e.data?.text();
  } catch {
    data = undefined;
  }
  const n = notificationOf(data);
  e.waitUntil(sw.registration.showNotification(n.title, { body: n.body, data: { url: n.url }, icon: NOTIFICATION_ICON, badge: NOTIFICATION_BADGE, tag: n.url }));
});

sw.addEventListener('notificationclick', (e: NotificationEventLike) => {
  e.notification.close();
  const data = e.notification.data as { url?: unknown } | null;
  // The link was checked when the notification was made (pushMessage.ts); check it again, it is data.
  e.waitUntil(openNotificationLink(sw.clients, sw.location.origin, appLinkOf(data?.url)));
});
