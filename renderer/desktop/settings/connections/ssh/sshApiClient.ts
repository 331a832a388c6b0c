/**
 * The SSH tab's calls of the host's `ssh` feature (docs/host-api.md, "SSH hosts"): every result
 * is parsed with the feature's own schemas (shared/protocol/features/sshApi.ts) before a screen
 * sees it, and every refusal becomes the one sentence the host put in `data.reason`.
 */
import type { z } from 'zod';
import { SSH_METHODS, SSH_NOTIFICATIONS } from '../../../../../shared/protocol/features/sshApi';
import { RpcError } from '../../../../../shared/rpc/rpcError';
import { errorMessage } from '../../../../../shared/util/errors';
import { parseUnknown } from '../../../../../shared/util/schema';

/** The part of a `HostSession` the SSH tab needs. */
export interface SshSessionLike {
  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown>;
  onNotification(listener: (method: string, params: unknown) => void): { dispose(): void };
  onConnected(listener: (e: { readonly reconnect: boolean }) => void): { dispose(): void };
  readonly status: { readonly kind: string };
}

type Methods = typeof SSH_METHODS;
export type SshMethod = keyof Methods;
export type SshParams<M extends SshMethod> = z.input<Methods[M]['params']>;
export type SshResult<M extends SshMethod> = z.output<Methods[M]['result']>;
export type SshNotification = keyof typeof SSH_NOTIFICATIONS;
export type SshNotificationParams<N extends SshNotification> = z.output<(typeof SSH_NOTIFICATIONS)[N]['params']>;

/** Calls `method` and parses its result. */
export async function callSsh<M extends SshMethod>(session: Pick<SshSessionLike, 'requestHost'>, method: M, params?: SshParams<M>): Promise<SshResult<M>> {
  const raw = await session.requestHost(method, params);
  return parseUnknown(SSH_METHODS[method].result as unknown as z.ZodType<SshResult<M>>, raw, `${method} result`);
}

/** Parses an `ssh` notification's params, or returns undefined for anything else. */
export function parseSshNotification<N extends SshNotification>(method: N, params: unknown): SshNotificationParams<N> | undefined {
  const r = (SSH_NOTIFICATIONS[method].params as unknown as z.ZodType<SshNotificationParams<N>>).safeParse(params);
  return r.success ? r.data : undefined;
}

export const SSH_NOTIFICATION_NAMES = Object.keys(SSH_NOTIFICATIONS) as SshNotification[];

/** The sentence to show for a failed call: the host's `data.reason` when it gave one. */
export function sshErrorText(err: unknown): string {
  if (err instanceof RpcError && err.data && typeof err.data === 'object') {
    const reason = (err.data as { reason?: unknown }).reason;
    if (typeof reason === 'string' && reason) return reason;
  }
  return errorMessage(err);
}
