/**
 * The renderer's only use of the hub's own `host/` methods (shared/protocol/hostMethods.ts).
 * Kept behind this one module on purpose: a typed `HostClient` derived from the method map is
 * being added to shared/protocol, and switching to it should touch this file alone. Results
 * are parsed with the method map's schemas (style.md G2): a hub that answers something else
 * gives a clear error here instead of a broken screen. The schemas load lazily (hostApiSchemas.ts).
 */
import type { HostInfo } from '../../../shared/protocol/hostMethods';
import { RpcError, RpcErrorCode } from '../../../shared/rpc/rpcError';

/** The part of a session host/ calls need. */
export interface HostMethodCaller {
  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown>;
}

/** One place threads can run: this computer (`local`), an SSH host, or another host this one controls (`remote`). */
export interface EnvironmentSummary {
  readonly id: string;
  /** What the sidebar shows ("This computer", an SSH alias). */
  readonly label: string;
  /** A second line (host name, user@host). */
  readonly detail: string;
  readonly kind: 'local' | 'ssh' | 'remote';
  /** The engine's state as the host reports it (`running`, `starting`, `restarting`, `failed`, `stopped`). */
  readonly state?: string;
  /** Progress while it is not running (an SSH host's `connecting`, `checking-codex`, …). */
  readonly phase?: string;
  /** The host's last error for it (admin windows only). */
  readonly lastError?: string;
}

/** The parsers (and the schema library) arrive in their own chunk, after the first paint. */
const schemas = () => import('./hostApiSchemas');

export async function fetchHostInfo(caller: HostMethodCaller): Promise<HostInfo> {
  const [raw, { parseHostInfo }] = await Promise.all([caller.requestHost('host/info'), schemas()]);
  return parseHostInfo(raw);
}

/**
 * The environments this hub offers. Hubs without environments support (no
 * `host/environments/list` yet) offer exactly one: this computer.
 */
export async function fetchEnvironments(caller: HostMethodCaller, info: HostInfo): Promise<EnvironmentSummary[]> {
  let raw: unknown;
  try {
    raw = await caller.requestHost('host/environments/list');
  } catch (err) {
    if (err instanceof RpcError && (err.code === RpcErrorCode.MethodNotFound || err.code === RpcErrorCode.InvalidRequest)) return [localEnvironment(info.hostName)];
    throw err;
  }
  return summarizeEnvironments(raw, info.hostName);
}

function localEnvironment(hostName: string): EnvironmentSummary {
  return { id: 'local', label: 'This computer', detail: hostName, kind: 'local' };
}

/**
 * A `host/environments/list` result or a `host/environments/changed` notification's params
 * (both `{environments}`) as the sidebar shows them; `local` is added first when the hub does
 * not list it.
 */
export async function summarizeEnvironments(raw: unknown, hostName: string): Promise<EnvironmentSummary[]> {
  const info = { hostName };
  const local = localEnvironment(hostName);
  const parsed = (await schemas()).parseEnvironmentList(raw);
  const list = parsed.environments.map((e): EnvironmentSummary => ({
    id: e.id,
    label: e.label ?? e.name ?? e.id,
    detail: e.detail ?? (e.id === 'local' ? info.hostName : ''),
    kind: e.kind ?? (e.id === 'local' ? 'local' : 'ssh'),
    ...(e.state ? { state: e.state } : {}),
    ...(e.phase ? { phase: e.phase } : {}),
    ...(e.lastError ? { lastError: e.lastError } : {}),
  }));
  return list.some((e) => e.id === 'local') ? list : [local, ...list];
}

/**
 * Asks the hub for live environment changes (`host/environments/changed`) on this connection.
 * A hub without the notification (older, or the feature off) simply never sends it.
 */
export async function subscribeEnvironmentChanges(caller: HostMethodCaller): Promise<void> {
  try {
    await caller.requestHost('host/notifications/subscribe', { methods: ['host/environments/changed'] });
  } catch {
    // not offered: the list is read again on every reconnect
  }
}
