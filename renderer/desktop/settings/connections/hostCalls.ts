/**
 * Typed host/ calls and notifications for the Connections screen (docs/host-api.md), over the
 * window's `HostSession`: params are checked and results parsed with the method map's schemas
 * (the same ones `HostClient` uses), so a tab sees typed values or a one-line error, never a
 * cast. This module (and zod with it) loads with the Connections section, not the first screen.
 */
import { HOST_METHODS, type HostCallParams, type HostCallResult, type HostMethod } from '../../../../shared/protocol/hostMethods';
import { HOST_NOTIFICATIONS, type HostNotification, type HostNotificationPayload } from '../../../../shared/protocol/hostNotifications';
import { RpcError, RpcErrorCode } from '../../../../shared/rpc/rpcError';
import type { Disposable } from '../../../../shared/util/lifecycle';
import { parseUnknown, SchemaParseError } from '../../../../shared/util/schema';

/** What a tab needs of the window's session (renderer/common/host/hostSession.ts has both). */
export interface HostSessionLike {
  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown>;
  onNotification(listener: (method: string, params: unknown) => void): Disposable;
  onConnected(listener: (e: { readonly reconnect: boolean }) => void): Disposable;
}

type ParamsArg<M extends HostMethod> = undefined extends HostCallParams<M> ? [params?: HostCallParams<M>] : [params: HostCallParams<M>];

/** Calls a host/ method; rejects with the host's error or a clear parse error. */
export async function callHost<M extends HostMethod>(session: Pick<HostSessionLike, 'requestHost'>, method: M, ...[params]: ParamsArg<M>): Promise<HostCallResult<M>> {
  const spec = HOST_METHODS[method];
  let checked: unknown;
  try {
    checked = parseUnknown(spec.params, params, `${method} params`);
  } catch (err) {
    if (err instanceof SchemaParseError) throw new RpcError(RpcErrorCode.InvalidParams, err.message);
    throw err;
  }
  const raw = await session.requestHost(method, checked ?? undefined);
  try {
    return parseUnknown(spec.result, raw, `${method} result`) as HostCallResult<M>;
  } catch (err) {
    if (err instanceof SchemaParseError) throw new RpcError(RpcErrorCode.UnexpectedResult, `the host answered ${method} with an unexpected result (${err.issues.join('; ')})`);
    throw err;
  }
}

export type NotificationHandlers = { readonly [N in HostNotification]?: (params: HostNotificationPayload<N>) => void };

/**
 * Routes the session's host/ notifications to typed handlers (params parsed; malformed ones
 * are dropped, they never reach a store).
 */
export function onHostNotifications(session: Pick<HostSessionLike, 'onNotification'>, handlers: NotificationHandlers): Disposable {
  return session.onNotification((method, params) => {
    if (!Object.hasOwn(handlers, method) || !Object.hasOwn(HOST_NOTIFICATIONS, method)) return;
    const name = method as HostNotification;
    let parsed: unknown;
    try {
      parsed = parseUnknown(HOST_NOTIFICATIONS[name].params, params, `${method} params`);
    } catch {
      return;
    }
    (handlers[name] as ((p: unknown) => void) | undefined)?.(parsed);
  });
}

/** Asks the host for every notification this window may receive (subscriptions last for the connection). */
export async function subscribeToHost(session: Pick<HostSessionLike, 'requestHost'>): Promise<void> {
  await callHost(session, 'host/notifications/subscribe', {});
}
