/**
 * The words the SSH tab (and the sidebar's environment list) use for a host's state and
 * connecting phase (connections-ui.md, "SSH"). One place, so every screen says the same thing.
 */
import type { SshHostInfo } from '../../../../../shared/protocol/features/sshApi';

/** A phase as it follows "Connecting…" (`resolving` → "resolving its settings"). */
export const PHASE_LABELS: Readonly<Record<string, string>> = {
  resolving: 'resolving its settings',
  connecting: 'connecting',
  authenticating: 'signing in',
  'checking-codex': 'checking Codex',
  'starting-engine': 'starting Codex',
  ready: 'ready',
};

export type StatusTone = 'success' | 'warning' | 'danger' | 'neutral';

export interface StatusLabel {
  /** The badge text: `Connecting…` (with its phase), `Connected`, `Disconnected`, `Error`. */
  readonly text: string;
  readonly tone: StatusTone;
}

/** The badge of an SSH host, from exactly what the host reports. */
export function sshStatus(host: Pick<SshHostInfo, 'state' | 'phase' | 'retryInMs'>): StatusLabel {
  switch (host.state) {
    case 'connected':
      return { text: 'Connected', tone: 'success' };
    case 'connecting':
      return { text: host.phase && host.phase !== 'ready' ? `Connecting… ${PHASE_LABELS[host.phase] ?? host.phase}` : 'Connecting…', tone: 'warning' };
    case 'error':
      return { text: 'Error', tone: 'danger' };
    case 'disconnected':
      return { text: host.retryInMs !== undefined ? `Disconnected · retrying in ${Math.max(1, Math.round(host.retryInMs / 1000))} s` : 'Disconnected', tone: 'warning' };
    default:
      return { text: 'Disconnected', tone: 'neutral' };
  }
}

/** The same words for an environment of the hub (its engine state, docs/ssh.md's table). */
export function environmentStatus(e: { readonly state?: string; readonly phase?: string }): StatusLabel | undefined {
  switch (e.state) {
    case 'running':
      return { text: 'Connected', tone: 'success' };
    case 'starting':
    case 'restarting':
      return { text: e.phase ? `Connecting… ${PHASE_LABELS[e.phase] ?? e.phase}` : 'Connecting…', tone: 'warning' };
    case 'failed':
      return { text: 'Error', tone: 'danger' };
    case 'stopped':
      return { text: 'Disconnected', tone: 'neutral' };
    default:
      return undefined;
  }
}

export const TONE_CLASS: Readonly<Record<StatusTone, string>> = {
  success: 'badge badge-success',
  warning: 'badge badge-warning',
  danger: 'badge badge-danger',
  neutral: 'badge',
};
