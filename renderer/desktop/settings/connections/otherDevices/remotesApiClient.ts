/**
 * The Other devices tab's calls of the host's `remotes` feature (docs/host-api.md, "Controlling
 * other hosts"): every result and notification is parsed with the feature's own schemas
 * (shared/protocol/features/remotesApi.ts) before a screen sees it, and a refusal becomes one
 * sentence without the method prefix the host puts in front of it.
 */
import type { z } from 'zod';
import { REMOTES_METHODS, REMOTES_NOTIFICATIONS } from '../../../../../shared/protocol/features/remotesApi';
import { RpcError } from '../../../../../shared/rpc/rpcError';
import { errorMessage } from '../../../../../shared/util/errors';
import { parseUnknown } from '../../../../../shared/util/schema';

/** The part of a `HostSession` the tab needs. */
export interface RemotesSessionLike {
  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown>;
  onNotification(listener: (method: string, params: unknown) => void): { dispose(): void };
  onConnected(listener: (e: { readonly reconnect: boolean }) => void): { dispose(): void };
  readonly status: { readonly kind: string };
}

type Methods = typeof REMOTES_METHODS;
export type RemotesMethod = keyof Methods;
export type RemotesParams<M extends RemotesMethod> = z.input<Methods[M]['params']>;
export type RemotesResult<M extends RemotesMethod> = z.output<Methods[M]['result']>;
export type RemotesChange = z.output<(typeof REMOTES_NOTIFICATIONS)['host/remotes/changed']['params']>;

/** Calls `method` and parses its result. */
export async function callRemotes<M extends RemotesMethod>(session: Pick<RemotesSessionLike, 'requestHost'>, method: M, params?: RemotesParams<M>): Promise<RemotesResult<M>> {
  const raw = await session.requestHost(method, params);
  return parseUnknown(REMOTES_METHODS[method].result as unknown as z.ZodType<RemotesResult<M>>, raw, `${method} result`);
}

/** Parses `host/remotes/changed`, or returns undefined for params it cannot read. */
export function parseRemotesChange(params: unknown): RemotesChange | undefined {
  const r = REMOTES_NOTIFICATIONS['host/remotes/changed'].params.safeParse(params);
  return r.success ? r.data : undefined;
}

/**
 * The sentence to show for a failed call: the host's reason when it gave one (an unavailable
 * feature), else its message without the `host/remotes/<op>: ` prefix.
 */
export function remotesErrorText(err: unknown): string {
  if (err instanceof RpcError && err.data && typeof err.data === 'object') {
    const reason = (err.data as { reason?: unknown }).reason;
    if (typeof reason === 'string' && reason) return reason;
  }
  const text = errorMessage(err).replace(/^host\/remotes\/[a-z]+: /, '');
  // A sentence starts with a capital, unless it starts with a name (`remotes.json`, a path).
  return /^[a-z][a-z']*(\s|$)/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
