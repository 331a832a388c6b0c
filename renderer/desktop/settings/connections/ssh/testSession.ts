/**
 * A stand-in for the window's `HostSession` in the SSH tab's unit tests: `host/` calls go to
 * the handlers the test gives (a missing one is refused like an unknown method), and the test
 * sends notifications and reconnects by hand.
 */
import { RpcError } from '../../../../../shared/rpc/rpcError';
import type { SshHostInfo } from '../../../../../shared/protocol/features/sshApi';
import type { SshSessionLike } from './sshApiClient';

export type Handler = (params: unknown) => unknown;

export interface TestSession extends SshSessionLike {
  readonly calls: { method: string; params: unknown }[];
  handlers: Record<string, Handler>;
  notify(method: string, params: unknown): void;
  reconnect(): void;
}

export function testSession(handlers: Record<string, Handler> = {}): TestSession {
  const notes = new Set<(m: string, p: unknown) => void>();
  const connected = new Set<(e: { reconnect: boolean }) => void>();
  const s: TestSession = {
    calls: [],
    handlers,
    status: { kind: 'online' },
    async requestHost(method, params) {
      s.calls.push({ method, params });
      const h = s.handlers[method];
      if (!h) throw new RpcError(-32601, `Method not found: ${method}`);
      return h(params);
    },
    onNotification(l) {
      notes.add(l);
      return { dispose: () => notes.delete(l) };
    },
    onConnected(l) {
      connected.add(l);
      return { dispose: () => connected.delete(l) };
    },
    notify: (m, p) => notes.forEach((l) => l(m, p)),
    reconnect: () => connected.forEach((l) => l({ reconnect: true })),
  };
  return s;
}

/** An SSH host as the host's API shows it (disconnected config alias unless overridden). */
export function hostInfo(o: Partial<SshHostInfo> & { name: string }): SshHostInfo {
  return {
    source: 'config',
    file: '/home/me/.ssh/config',
    line: 1,
    enabled: false,
    listed: true,
    state: 'disabled',
    disconnects: 0,
    details: { identityFiles: [], via: [] },
    ...o,
  };
}

/** The refusal shape the host sends (`data.reason` is the sentence to show). */
export function refusal(reason: string, sshCode?: string): RpcError {
  return new RpcError(-32600, `host/ssh/x: ${reason}`, { reason, ...(sshCode ? { sshCode } : {}) });
}
