/**
 * The "Control this computer" tab's data: one store per part, fed in one place by the host's
 * notifications (no polling). Created when the tab opens, disposed when it closes; on a
 * reconnect of the window everything is read again (notifications may have been missed).
 */
import type { HostFeature } from '../../../../../shared/protocol/hostFeatures';
import type { Disposable } from '../../../../../shared/util/lifecycle';
import { onHostNotifications, subscribeToHost, type HostSessionLike } from '../hostCalls';
import { createAuditStore, type AuditStore } from './auditStore';
import { createChecksStore, type ChecksStore } from './checksStore';
import { createDevicesStore, type DevicesStore } from './devicesStore';
import { createListenerStore, type ListenerStore } from './listenerStore';
import { createPairingStore, type PairingStore } from './pairingStore';
import { createPowerStore, type PowerStore } from './powerStore';
import { createPushStore, type PushStore } from './pushStore';
import { createRemoteAccessStore, type RemoteAccessStore } from './remoteAccessStore';

export class ThisComputerModel {
  readonly devices: DevicesStore;
  readonly remoteAccess: RemoteAccessStore;
  readonly pairing: PairingStore;
  readonly checks: ChecksStore;
  readonly audit: AuditStore;
  readonly power: PowerStore;
  readonly listener: ListenerStore;
  readonly push: PushStore;
  readonly #session: HostSessionLike;
  readonly #features: ReadonlySet<HostFeature | string>;
  // Plain handles, dropped synchronously: a tab that closed must not get one more notification.
  readonly #subs: Disposable[] = [];

  constructor(session: HostSessionLike, features: readonly string[]) {
    this.#session = session;
    this.#features = new Set(features);
    this.devices = createDevicesStore(session);
    this.remoteAccess = createRemoteAccessStore(session);
    this.pairing = createPairingStore(session);
    this.checks = createChecksStore(session);
    this.audit = createAuditStore(session);
    this.power = createPowerStore(session);
    this.listener = createListenerStore(session);
    this.push = createPushStore(session);
  }

  /** Whether host/info lists `feature` (a part whose feature is off is not shown). */
  has(feature: string): boolean {
    return this.#features.has(feature);
  }

  start(): void {
    const recheck = () => void this.checks.getState().run();
    this.#subs.push(
      onHostNotifications(this.#session, {
        'host/devices/changed': ({ change, device }) => {
          this.devices.getState().applyChange(change, device);
          // The session count beside "Allow other devices to connect" moved with it.
          if (change === 'connected' || change === 'disconnected' || change === 'revoked') void this.remoteAccess.getState().load();
          recheck();
        },
        'host/pairing/claimed': ({ pairId, device }) => {
          this.pairing.getState().claimed(pairId, device);
          this.devices.getState().applyChange('paired', device);
          void this.remoteAccess.getState().load();
          recheck();
        },
        'host/listener/changed': (view) => this.listener.getState().changed(view),
        'host/power/changed': (view) => {
          this.power.getState().changed(view);
          recheck();
        },
        'host/pairing/expired': ({ pairId, reason }) => this.pairing.getState().expired(pairId, reason),
        'host/push/changed': (status) => this.push.getState().changed(status),
        'host/remoteAccess/changed': () => {
          void this.remoteAccess.getState().load();
          recheck();
        },
      }),
    );
    this.#subs.push(
      this.#session.onNotification((method) => {
        if (method === 'serverRequest/resolved' && this.has('audit')) {
          // An approval was answered (here or on a device): the audit log has a new line.
          void this.audit.getState().load();
        }
      }),
    );
    this.#subs.push(this.#session.onConnected(() => void this.#loadAll()));
    void this.#loadAll();
  }

  dispose(): void {
    for (const s of this.#subs.splice(0)) s.dispose();
    this.pairing.getState().reset();
  }

  async #loadAll(): Promise<void> {
    await subscribeToHost(this.#session).catch(() => undefined);
    const loads: Promise<void>[] = [];
    if (this.has('remote')) loads.push(this.devices.getState().load(), this.remoteAccess.getState().load(), this.checks.getState().run());
    if (this.has('audit')) loads.push(this.audit.getState().load());
    if (this.has('power')) loads.push(this.power.getState().load());
    if (this.has('listener')) loads.push(this.listener.getState().load());
    if (this.has('push')) loads.push(this.push.getState().load());
    await Promise.all(loads);
  }
}
