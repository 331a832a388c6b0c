/**
 * Turns on Web Push for a host with remote access (docs/notifications.md): opens the push
 * service (VAPID key in the host's secret store, subscriptions in `<dataDir>/push.json`), sets
 * the contact subject when `serve --push-subject` gave one, wires it to the hub and the device
 * list, and returns the `push` feature table. `dispose()` stops the wiring, then the service.
 */
import type { AsyncDisposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { DeviceRegistry } from '../devices/deviceRegistry.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import type { Hub } from '../hub/hub.js';
import type { SecretStore } from '../identity/secretStore.js';
import { createPush, type PushService } from './createPush.js';
import { pushFeatureTable } from './pushFeature.js';
import { wirePushNotifications } from './pushWiring.js';

export interface StartPushOptions {
  readonly hub: Hub;
  readonly devices: DeviceRegistry;
  readonly dataDir: string;
  readonly secretStore: SecretStore;
  readonly hostId: string;
  readonly hostName: string;
  /** `serve --push-subject`: stored as the contact subject (validated; a bad one fails the start). */
  readonly subject?: string;
  readonly logger: Logger;
}

export interface StartedPush extends AsyncDisposable {
  readonly service: PushService;
  readonly table: HostFeatureTable<'push'>;
}

export async function startPush(o: StartPushOptions): Promise<StartedPush> {
  const service = await createPush({ dataDir: o.dataDir, secretStore: o.secretStore, logger: o.logger, hostId: o.hostId });
  try {
    if (o.subject !== undefined && service.settings().subject !== o.subject) await service.setSubject(o.subject);
  } catch (err) {
    await service.dispose();
    throw err;
  }
  const wiring = wirePushNotifications({ hub: o.hub, devices: o.devices, push: service, hostName: o.hostName, logger: o.logger });
  return {
    service,
    table: pushFeatureTable(service),
    async dispose() {
      wiring.dispose();
      await service.dispose();
    },
  };
}
