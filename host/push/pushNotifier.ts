/**
 * Sends one Web Push notification per enabled, subscribed device when something happens
 * (docs/notifications.md). The `web-push` library builds each request (VAPID JWT signed with the
 * host's key, RFC 8291 aes128gcm encryption for the device's keys, TTL / Urgency / Topic);
 * the injected `PushTransport` sends it.
 *
 * - refuses (throws `PushNotConfiguredError`) while no contact subject is set;
 * - debounces: one event kind for one thread sends at most once per `debounceMs`, so a turn
 *   that asks for five approvals in a row buzzes the phone once;
 * - a 404 or 410 from the push service means the subscription is gone: it is deleted;
 * - 429, 5xx and network failures are retried once (after `Retry-After`, capped, or 1 s);
 *   anything else is logged and dropped. Logs name the device and the endpoint's origin
 *   only — never the endpoint path (a capability), keys or the payload;
 * - at most `maxConcurrent` requests are in flight.
 */
import webpush from 'web-push';
import type { Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { errorMessage } from '../../shared/util/errors.js';
import { buildPushPayload, pushDelivery, type PushEvent } from './pushPayload.js';
import type { PushDeviceRecord, PushStore } from './pushStore.js';
import { endpointOrigin } from './pushSubscription.js';
import type { PushTransport } from './pushTransport.js';
import type { VapidKeys } from './vapidKeys.js';

export const PUSH_DEBOUNCE_MS = 15_000;
export const PUSH_MAX_CONCURRENT = 4;
export const PUSH_RETRY_DELAY_MS = 1000;
export const PUSH_MAX_RETRY_AFTER_MS = 30_000;
const MAX_DEBOUNCE_KEYS = 1024;

/** Thrown by `notify` while the required contact subject is not set. */
export class PushNotConfiguredError extends Error {
  constructor() {
    super('push: set a contact subject (a mailto: address or an https: URL) before notifications can be sent');
    this.name = 'PushNotConfiguredError';
  }
}

/** What one `notify` did. */
export interface PushReport {
  /** Devices the push service accepted the message for. */
  readonly sent: number;
  /** Subscriptions deleted because the push service said they are gone (404/410). */
  readonly removed: number;
  /** Devices whose message could not be delivered (logged). */
  readonly failed: number;
  /** True when the event was dropped by the debounce (nothing sent). */
  readonly debounced: boolean;
}

export interface PushNotifierOptions {
  readonly store: PushStore;
  readonly keys: VapidKeys;
  readonly hostId: string;
  readonly transport: PushTransport;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly delay?: (ms: number) => Promise<void>;
  readonly debounceMs?: number;
  readonly maxConcurrent?: number;
}

type Outcome = 'sent' | 'removed' | 'failed';

export class PushNotifier {
  readonly #o: PushNotifierOptions;
  readonly #now: () => number;
  readonly #delay: (ms: number) => Promise<void>;
  readonly #debounceMs: number;
  readonly #lastSent = new Map<string, number>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #queue: (() => void)[] = [];
  readonly #timers = new Set<Disposable>();
  #running = 0;
  #disposed = false;

  constructor(options: PushNotifierOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#debounceMs = options.debounceMs ?? PUSH_DEBOUNCE_MS;
    this.#delay =
      options.delay ??
      ((ms) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.#timers.delete(handle);
            resolve();
          }, ms);
          const handle = { dispose: () => (clearTimeout(t), resolve()) };
          this.#timers.add(handle);
        }));
  }

  /**
   * Notifies every enabled, subscribed device of `event`. Resolves once each device's message
   * was accepted, refused or given up on; rejects only when the host is not configured
   * (`PushNotConfiguredError`) or the event is malformed.
   */
  async notify(event: PushEvent): Promise<PushReport> {
    if (this.#disposed) throw new Error('push: the notifier is stopped');
    const subject = this.#o.store.subject;
    if (subject === null) throw new PushNotConfiguredError();
    const payload = JSON.stringify(buildPushPayload(event, this.#o.hostId));
    const delivery = pushDelivery(event);

    const key = delivery.topic;
    const now = this.#now();
    const last = this.#lastSent.get(key);
    if (last !== undefined && now - last < this.#debounceMs) return { sent: 0, removed: 0, failed: 0, debounced: true };
    this.#remember(key, now);

    const targets = this.#o.store.devices.filter((d) => d.enabled && d.subscription !== null);
    const work = Promise.all(targets.map((d) => this.#limited(() => this.#sendOne(d, subject, payload, delivery))));
    this.#inFlight.add(work);
    try {
      const outcomes = await work;
      const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
      return { sent: count('sent'), removed: count('removed'), failed: count('failed'), debounced: false };
    } finally {
      this.#inFlight.delete(work);
    }
  }

  /** Stops accepting events, cuts retry waits short and waits for requests in flight. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const t of [...this.#timers]) t.dispose();
    await Promise.allSettled([...this.#inFlight]);
  }

  async #sendOne(device: PushDeviceRecord, subject: string, payload: string, delivery: ReturnType<typeof pushDelivery>): Promise<Outcome> {
    const sub = device.subscription!;
    const log = { device: device.deviceId.slice(0, 8), origin: endpointOrigin(sub.endpoint) };
    if (this.#disposed) return 'failed'; // queued behind the concurrency limit when the host stopped
    let request: { headers: Record<string, string>; body: Buffer };
    try {
      const details = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: { ...sub.keys } }, payload, {
        vapidDetails: { subject, publicKey: this.#o.keys.publicKey, privateKey: this.#o.keys.privateKey },
        TTL: delivery.ttl,
        urgency: delivery.urgency,
        topic: delivery.topic,
        contentEncoding: 'aes128gcm',
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(details.headers)) headers[name] = String(value);
      request = { headers, body: details.body };
    } catch (err) {
      this.#o.logger.warn('push message could not be built', { ...log, error: this.#redact(errorMessage(err), sub.endpoint) });
      return 'failed';
    }

    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let retryAfterSeconds: number | undefined;
      let failure: string;
      try {
        const res = await this.#o.transport.send({ endpoint: sub.endpoint, ...request });
        status = res.status;
        retryAfterSeconds = res.retryAfterSeconds;
        if (status >= 200 && status < 300) return 'sent';
        if (status === 404 || status === 410) {
          await this.#o.store.removeSubscription(device.deviceId, sub.endpoint).catch((err: unknown) => {
            this.#o.logger.error('could not delete an expired push subscription', { ...log, error: errorMessage(err) });
          });
          this.#o.logger.info('push subscription is gone (the push service answered ' + String(status) + '); deleted it', log);
          return 'removed';
        }
        failure = `the push service answered ${status}`;
      } catch (err) {
        failure = this.#redact(errorMessage(err), sub.endpoint);
      }
      const retriable = status === undefined || status === 429 || status >= 500;
      if (!retriable || attempt >= 1 || this.#disposed) {
        this.#o.logger.warn('push notification not delivered', { ...log, ...(status !== undefined ? { status } : {}), error: failure });
        return 'failed';
      }
      const wait = retryAfterSeconds !== undefined ? Math.min(retryAfterSeconds * 1000, PUSH_MAX_RETRY_AFTER_MS) : PUSH_RETRY_DELAY_MS;
      this.#o.logger.debug('push notification failed; retrying once', { ...log, ...(status !== undefined ? { status } : {}), waitMs: wait });
      await this.#delay(wait);
      if (this.#disposed) {
        this.#o.logger.warn('push notification not delivered (host stopping)', log);
        return 'failed';
      }
    }
  }

  /** Runs `fn` when fewer than `maxConcurrent` sends are in flight. */
  async #limited<T>(fn: () => Promise<T>): Promise<T> {
    const max = this.#o.maxConcurrent ?? PUSH_MAX_CONCURRENT;
    // A finishing send hands its slot straight to the next waiter, so the count never overshoots.
    if (this.#running >= max) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#running += 1;
    try {
      return await fn();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }

  #remember(key: string, now: number): void {
    this.#lastSent.set(key, now);
    if (this.#lastSent.size <= MAX_DEBOUNCE_KEYS) return;
    for (const [k, t] of this.#lastSent) if (now - t >= this.#debounceMs) this.#lastSent.delete(k);
    // Still full of fresh keys (a flood of threads): forget the oldest.
    while (this.#lastSent.size > MAX_DEBOUNCE_KEYS) this.#lastSent.delete(this.#lastSent.keys().next().value!);
  }

  /** An error text with the endpoint (a capability) reduced to its origin. */
  #redact(text: string, endpoint: string): string {
    return text.split(endpoint).join(endpointOrigin(endpoint));
  }
}
