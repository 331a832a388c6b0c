/**
 * Web Push for one host (docs/mobile.md "Notifications"): the browser's push subscription is
 * made here and handed to the host over the end-to-end session (`host/push/subscribe`), so the
 * relay never sees it. Each host gets its own service-worker registration (`/push/<hostId>/`):
 * a browser keeps one subscription per registration, and every host signs with its own VAPID
 * key. Needs a secure context (https, or this computer) and a browser with Push.
 */
import { z } from 'zod';
import { PushDeviceStatusSchema, PushSettingsViewSchema, type PushDeviceStatus, type PushSettingsView } from '../../../shared/protocol/features/pushApi';
import { parseUnknown } from '../../../shared/util/schema';
import type { HostMethodCaller } from '../../common/host/hostApi';

export class PushUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushUnavailableError';
  }
}

/** Why this browser cannot do Web Push at all, or undefined when it can. */
export function pushUnsupportedReason(): string | undefined {
  if (!globalThis.isSecureContext) return 'Notifications need the app opened over https. This page was opened over plain http, so the browser does not offer them.';
  if (!('serviceWorker' in navigator) || typeof PushManager === 'undefined' || typeof Notification === 'undefined') {
    return 'This browser does not support Web Push. On an iPhone, add the app to the Home Screen first (Share › Add to Home Screen).';
  }
  return undefined;
}

function scopeOf(hostId: string): string {
  return `/push/${hostId}/`;
}

function bytesOfB64u(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function activeRegistration(hostId: string): Promise<ServiceWorkerRegistration> {
  const reg = await navigator.serviceWorker.register('/sw.js', { scope: scopeOf(hostId) });
  if (reg.active) return reg;
  const worker = reg.installing ?? reg.waiting;
  if (!worker) throw new PushUnavailableError('the notification worker did not start');
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new PushUnavailableError('the notification worker did not start in time')), 10_000);
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') {
        clearTimeout(t);
        resolve();
      } else if (worker.state === 'redundant') {
        clearTimeout(t);
        reject(new PushUnavailableError('the notification worker failed to install'));
      }
    });
  });
  return reg;
}

/** What the host says about this phone's notifications. */
export async function fetchPushSettings(host: HostMethodCaller): Promise<PushSettingsView> {
  return parseUnknown(PushSettingsViewSchema, await host.requestHost('host/push/settings/get'), 'host/push/settings/get result');
}

/** Asks for permission, subscribes with the host's key and registers the subscription with the host; resolves with the host's view. */
export async function enablePush(hostId: string, host: HostMethodCaller): Promise<PushDeviceStatus> {
  const unsupported = pushUnsupportedReason();
  if (unsupported) throw new PushUnavailableError(unsupported);
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new PushUnavailableError('Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.');
  await registerSubscription(hostId, host);
  return parseUnknown(PushDeviceStatusSchema, await host.requestHost('host/push/settings/set', { enabled: true }), 'host/push/settings/set result');
}

/**
 * Hands the host this phone's current subscription again (browsers renew them; the host keeps
 * its on/off setting, so an admin's "off" stays off). Only where permission was granted already.
 */
export async function renewPush(hostId: string, host: HostMethodCaller): Promise<void> {
  if (pushUnsupportedReason() || Notification.permission !== 'granted') return;
  await registerSubscription(hostId, host);
}

async function registerSubscription(hostId: string, host: HostMethodCaller): Promise<void> {
  const { vapidPublicKey } = parseUnknown(z.object({ vapidPublicKey: z.string().min(1).max(128) }), await host.requestHost('host/push/vapidPublicKey'), 'host/push/vapidPublicKey result');
  const reg = await activeRegistration(hostId);
  const key = bytesOfB64u(vapidPublicKey);
  const existing = await reg.pushManager.getSubscription();
  // A subscription made for an older key of this host cannot be reused.
  if (existing && !sameKey(existing.options.applicationServerKey, key)) await existing.unsubscribe();
  const sub = (existing && sameKey(existing.options.applicationServerKey, key) ? existing : undefined) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
  await host.requestHost('host/push/subscribe', { subscription: sub.toJSON() });
}

/** Turns this phone's notifications from the host off and drops the browser subscription. */
export async function disablePush(hostId: string, host: HostMethodCaller): Promise<PushDeviceStatus> {
  const status = parseUnknown(PushDeviceStatusSchema, await host.requestHost('host/push/settings/set', { enabled: false }), 'host/push/settings/set result');
  await host.requestHost('host/push/unsubscribe').catch(() => undefined);
  await forgetPush(hostId);
  return { ...status, subscribed: false };
}

/** Drops the local registration of a host (removing the host, or turning notifications off). */
export async function forgetPush(hostId: string): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.getRegistration(scopeOf(hostId)).catch(() => undefined);
  if (reg && new URL(reg.scope).pathname === scopeOf(hostId)) {
    await (await reg.pushManager.getSubscription().catch(() => null))?.unsubscribe().catch(() => undefined);
    await reg.unregister().catch(() => undefined);
  }
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}
