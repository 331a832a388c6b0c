/**
 * The `push` host feature (docs/host-api.md "Notifications", shared/protocol/features/pushApi.ts):
 * the handler table that maps host/push/* to the push service (createPush.ts). A phone's calls
 * always act on its own device id (the id its relay session was admitted with), so one paired
 * phone can never read or change another's subscription; the admin kinds may name any device
 * and set the contact subject. Bad input (a malformed subscription, a subject that is not a
 * mailto: or https: URL) is answered with one line for the user and changes nothing.
 */
import { isAdminKind, type ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import type { PushSettingsView } from '../../shared/protocol/features/pushApi.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import type { PushService } from './createPush.js';

const DEVICE_ID_RE = /^[0-9a-f]{32}$/;

/** The device a call acts on: a phone's own; an admin's named one. */
function targetDevice(method: string, client: ClientIdentity, named: string | undefined): string {
  if (client.kind === 'phone') {
    if (named !== undefined && named !== client.id) throw new RpcError(RpcErrorCode.InvalidRequest, `${method}: a phone can change only its own notifications`);
    if (!DEVICE_ID_RE.test(client.id)) throw new RpcError(RpcErrorCode.InvalidRequest, `${method}: this connection has no device id`);
    return client.id;
  }
  if (named === undefined) throw new RpcError(RpcErrorCode.InvalidParams, `${method}: name the device (deviceId)`);
  return named;
}

/** A push-service failure as the caller should read it: its one-line message, nothing stored. */
function userError(method: string, err: unknown): never {
  throw new RpcError(RpcErrorCode.InvalidParams, `${method}: ${errorMessage(err)}`);
}

/** The settings as `client` may see them (pushApi.ts `PushSettingsViewSchema`). */
export function pushSettingsView(push: PushService, client: ClientIdentity, deviceId?: string): PushSettingsView {
  const s = push.settings();
  if (!isAdminKind(client.kind)) return { configured: s.subject !== null, vapidPublicKey: s.vapidPublicKey, devices: [push.device(client.id)] };
  const devices = deviceId ? [push.device(deviceId)] : push.devices();
  return { configured: s.subject !== null, subject: s.subject, vapidPublicKey: s.vapidPublicKey, devices, ...(s.problem ? { problem: s.problem.slice(0, 1000) } : {}) };
}

/** The complete `push` handler table. Device changes are announced by the caller's wiring (pushWiring.ts). */
export function pushFeatureTable(push: PushService): HostFeatureTable<'push'> {
  return {
    'host/push/vapidPublicKey': () => ({ vapidPublicKey: push.vapidPublicKey }),
    'host/push/subscribe': async ({ subscription }, { client }) => {
      const deviceId = targetDevice('host/push/subscribe', client, undefined);
      try {
        return await push.subscribe(deviceId, subscription);
      } catch (err) {
        return userError('host/push/subscribe', err);
      }
    },
    'host/push/unsubscribe': async (_params, { client }) => push.unsubscribe(targetDevice('host/push/unsubscribe', client, undefined)),
    'host/push/settings/get': (params, { client }) => {
      const deviceId = params?.deviceId;
      if (deviceId !== undefined && client.kind === 'phone' && deviceId !== client.id) {
        throw new RpcError(RpcErrorCode.InvalidRequest, 'host/push/settings/get: a phone can read only its own notifications');
      }
      return pushSettingsView(push, client, deviceId);
    },
    'host/push/settings/set': async ({ enabled, deviceId }, { client }) => push.setEnabled(targetDevice('host/push/settings/set', client, deviceId), enabled),
    'host/push/subject/set': async ({ subject }, { client }) => {
      try {
        await push.setSubject(subject);
      } catch (err) {
        return userError('host/push/subject/set', err);
      }
      return pushSettingsView(push, client);
    },
  };
}
