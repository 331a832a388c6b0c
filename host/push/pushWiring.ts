/**
 * Connects the push service to the running host (docs/notifications.md "Wiring"): a thread that
 * starts waiting on an approval, or whose turn finished (`hub.onAttention`, seen on each
 * environment's monitor connection), becomes one `notify`; a revoked device's subscription is
 * forgotten; device changes are announced to the host's admins (`host/push/changed`). Nothing
 * is sent while no device wants notifications; a missing contact subject is logged once with
 * the fix, not on every turn.
 */
import type { HubAttention } from '../hub/hub.js';
import { errorMessage } from '../../shared/util/errors.js';
import { DisposableStore, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { PushDeviceStatus, PushService } from './createPush.js';
import { PushNotConfiguredError, type PushReport } from './pushNotifier.js';

export interface PushWiringDeps {
  readonly hub: {
    onAttention(listener: (event: HubAttention) => void): Disposable;
    notify(notification: 'host/push/changed', params: PushDeviceStatus): void;
  };
  readonly devices: { onRevoked(listener: (rec: { readonly deviceId: string }) => void): Disposable };
  readonly push: PushService;
  readonly hostName: string;
  readonly logger: Logger;
  /** Told what each event did (tests; the log gets a debug line). */
  readonly onReport?: (event: HubAttention, report: PushReport) => void;
}

/** Starts forwarding; dispose to stop. */
export function wirePushNotifications(d: PushWiringDeps): Disposable {
  const store = new DisposableStore(d.logger);
  let warnedUnconfigured = false;
  store.add(
    d.hub.onAttention((event) => {
      if (!d.push.devices().some((x) => x.enabled && x.subscribed)) return;
      d.push.notify({ kind: event.kind, hostName: d.hostName, threadId: event.threadId, environmentId: event.environmentId }).then(
        (report) => {
          d.logger.debug('push notification', { kind: event.kind, sent: report.sent, removed: report.removed, failed: report.failed, debounced: report.debounced });
          d.onReport?.(event, report);
        },
        (err: unknown) => {
          if (err instanceof PushNotConfiguredError) {
            if (warnedUnconfigured) return;
            warnedUnconfigured = true;
            d.logger.warn(`${err.message}: start the host with --push-subject mailto:you@example.com (or call host/push/subject/set)`);
            return;
          }
          d.logger.warn('push notification not sent', { kind: event.kind, error: errorMessage(err) });
        },
      );
    }),
  );
  store.add(
    d.devices.onRevoked((rec) => {
      d.push.forgetDevice(rec.deviceId).catch((err: unknown) => d.logger.error('could not forget the push subscription of a revoked device', { device: rec.deviceId.slice(0, 8), error: errorMessage(err) }));
    }),
  );
  store.add(d.push.onDidChangeDevice((status) => d.hub.notify('host/push/changed', status)));
  return { dispose: () => void store.dispose() };
}
