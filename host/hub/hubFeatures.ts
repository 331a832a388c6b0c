/**
 * The two features the hub itself always provides (docs/host-api.md): `core` (host/info and
 * notification subscriptions) and `environments` (list them; pick one per connection).
 */
import { isAdminKind, type ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import type { EnvironmentInfo, HostInfo } from '../../shared/protocol/hostMethods.js';
import { HOST_NOTIFICATION_NAMES, mayReceive } from '../../shared/protocol/hostNotifications.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import type { HostFeatureTable } from './hostFeatures.js';

export interface HubView {
  info(viewer: ClientIdentity): HostInfo;
  /** Every environment (`lastError` only for the host's admins). */
  environmentList(forAdmin: boolean): EnvironmentInfo[];
  environment(id: string, forAdmin: boolean): EnvironmentInfo | undefined;
}

export function coreFeature(hub: HubView): HostFeatureTable<'core'> {
  return {
    'host/info': (_params, connection) => hub.info(connection.client),
    'host/notifications/subscribe': (params, connection) => {
      const { kind } = connection.client;
      const requested = params?.methods ?? HOST_NOTIFICATION_NAMES.filter((n) => mayReceive(kind, n));
      const refused = requested.filter((n) => !mayReceive(kind, n));
      if (refused.length) throw new RpcError(RpcErrorCode.InvalidRequest, `host/notifications/subscribe: ${refused.join(', ')}: not allowed for ${kind} clients`);
      connection.subscribe(requested);
      return { methods: [...new Set(requested)] };
    },
  };
}

export function environmentsFeature(hub: HubView): HostFeatureTable<'environments'> {
  return {
    'host/environments/list': (_params, connection) => ({ environments: hub.environmentList(isAdminKind(connection.client.kind)) }),
    'host/environment/select': ({ environmentId }, connection) => {
      const environment = hub.environment(environmentId, isAdminKind(connection.client.kind));
      if (!environment) {
        const known = hub.environmentList(false).map((e) => e.id);
        throw new RpcError(RpcErrorCode.InvalidParams, `host/environment/select: unknown environment "${environmentId}" (this host has: ${known.join(', ')})`, { environmentId });
      }
      connection.selectEnvironment(environmentId);
      return { environment };
    },
  };
}
