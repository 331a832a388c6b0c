/**
 * What a notification says (docs/notifications.md): only the host and what happened, with a link to
 * the thread — never a prompt, a command, a file name or a thread title, because the payload
 * is shown on a lock screen and passes through the browser vendor's push service (encrypted,
 * but still: the less it holds the better). Every push carries a visible notification
 * (`title`, `body`): iOS revokes subscriptions that push silently.
 *
 * The link is a relative app path with the route in the fragment (`/#/hosts/<hostId>/threads/
 * <threadId>`, or `/#/hosts/<hostId>/environments/<environmentId>/threads/<threadId>` for a
 * thread of another environment), so opening it never tells the relay which thread was opened.
 */
import { createHash } from 'node:crypto';
import { toDisplayName } from '../../shared/protocol/displayName.js';

export type PushEventKind = 'approval-needed' | 'turn-finished';

/** Something a phone should hear about. */
export interface PushEvent {
  readonly kind: PushEventKind;
  /** The host's display name (shown in the notification). */
  readonly hostName: string;
  /** The engine's thread id (only used in the link and, hashed, as the push Topic). */
  readonly threadId: string;
  /**
   * The environment the thread lives in (`ssh:…`, `remote:…`); the link then opens that
   * environment first. Absent or `local`: the host's own engine.
   */
  readonly environmentId?: string;
}

/** The decrypted push message the phone's service worker receives (JSON). */
export interface PushPayload {
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

/** How long the push service keeps an undelivered message, and how urgently it delivers it. */
export interface PushDelivery {
  /** Seconds. */
  readonly ttl: number;
  readonly urgency: 'normal' | 'high';
  /** RFC 8030 §5.4: a newer message with the same topic replaces an undelivered older one. */
  readonly topic: string;
}

export const THREAD_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const HOST_ID_RE = /^[0-9a-f]{32}$/;
/** An environment id as the hub names them (`ssh:<alias>`, `remote:<host id>`): printable, bounded. */
export const ENVIRONMENT_ID_RE = /^[a-z]+:[^\s\u0000-\u001f\u007f]{1,200}$/;

const TEXT: Record<PushEventKind, { title: string; body: (host: string) => string }> = {
  'approval-needed': { title: 'Approval needed', body: (host) => `${host}: Codex is waiting for your approval` },
  'turn-finished': { title: 'Turn finished', body: (host) => `${host}: Codex finished working` },
};

const DELIVERY: Record<PushEventKind, Omit<PushDelivery, 'topic'>> = {
  // An approval waits for an answer for as long as the turn lives: keep it half a day, and
  // wake the phone for it.
  'approval-needed': { ttl: 12 * 3600, urgency: 'high' },
  // "Finished" is stale after an hour.
  'turn-finished': { ttl: 3600, urgency: 'normal' },
};

/** Builds the payload; throws on an id that does not look like one (never sent). */
export function buildPushPayload(event: PushEvent, hostId: string): PushPayload {
  if (!HOST_ID_RE.test(hostId)) throw new Error('push: invalid host id');
  if (!THREAD_ID_RE.test(event.threadId)) throw new Error('push: invalid thread id');
  const text = TEXT[event.kind];
  const host = toDisplayName(event.hostName, 'Codex Host');
  const env = otherEnvironmentOf(event);
  if (env !== undefined && !ENVIRONMENT_ID_RE.test(env)) throw new Error('push: invalid environment id');
  const thread = `threads/${encodeURIComponent(event.threadId)}`;
  return { title: text.title, body: text.body(host), url: env ? `/#/hosts/${hostId}/environments/${encodeURIComponent(env)}/${thread}` : `/#/hosts/${hostId}/${thread}` };
}

/** The environment an event names when it is not the host's own engine. */
function otherEnvironmentOf(event: PushEvent): string | undefined {
  return event.environmentId && event.environmentId !== 'local' ? event.environmentId : undefined;
}

/** How to deliver an event; its topic names the event (kind, thread, environment), so it is also what PushNotifier debounces by. */
export function pushDelivery(event: PushEvent): PushDelivery {
  // 32 base64url characters at most (RFC 8030 §5.4); a hash, so the push service learns no id.
  const env = otherEnvironmentOf(event);
  const topic = createHash('sha256').update(`${event.kind}\n${event.threadId}${env ? `\n${env}` : ''}`).digest('base64url').slice(0, 32);
  return { ...DELIVERY[event.kind], topic };
}
