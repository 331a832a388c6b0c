/**
 * The honest state of one host as the phone shows it (docs/mobile.md "Connection"): connecting,
 * online, offline (the host is not reachable, or this phone has no network), reconnecting
 * (the session dropped and comes back by itself), removed (the host revoked this device) or
 * failed (the host cannot prove its key). Pure: derived from the session's status and the last
 * failure the controller library classified.
 */
import type { RemoteErrorKind } from '../../../shared/controller/remoteSessionError';
import type { SessionStatus } from '../../common/host/hostSession';

export type PhoneConnectionState = 'connecting' | 'online' | 'offline' | 'reconnecting' | 'removed' | 'failed';

export interface PhoneConnection {
  readonly state: PhoneConnectionState;
  /** One or two words for a badge. */
  readonly label: string;
  /** The sentence under it, when there is more to say. */
  readonly detail?: string;
}

/** What went wrong last, as the controller library classified it. */
export interface LastFailure {
  readonly kind: RemoteErrorKind;
  readonly reason: string;
  readonly message: string;
}

/** Why a session may never be retried: the device was removed, or the host is not the one paired. */
export type FinalReason = 'removed' | 'host_key';

export function connectionOf(status: SessionStatus, last: LastFailure | undefined, hostName: string, online = true): PhoneConnection {
  switch (status.kind) {
    case 'online':
      return { state: 'online', label: 'Online' };
    case 'refused':
      if (status.reason === 'removed') return { state: 'removed', label: 'Removed', detail: `This device was removed from ${hostName}` };
      return { state: 'failed', label: 'Not trusted', detail: `${hostName} could not prove it is the host you paired with. Pair again if it was reinstalled.` };
    case 'stopped':
      return { state: 'offline', label: 'Disconnected' };
    case 'connecting':
    case 'reconnecting': {
      if (!online) return { state: 'offline', label: 'Offline', detail: 'This phone has no network connection' };
      if (last?.kind === 'offline') return { state: 'offline', label: 'Offline', detail: `${hostName} is not connected to its relay` };
      if (status.kind === 'connecting') return { state: 'connecting', label: 'Connecting' };
      return { state: 'reconnecting', label: 'Reconnecting', detail: last ? describeFailure(last) : status.lastError };
    }
  }
}

/** A failure in words (no close codes). */
export function describeFailure(f: LastFailure): string {
  switch (f.kind) {
    case 'offline':
      return 'The host is offline';
    case 'timeout':
      return 'The host did not answer in time';
    case 'rate_limited':
      return 'The relay asked to wait a little';
    case 'network':
      return 'The connection was lost';
    case 'protocol':
      return 'The connection was broken off (protocol error)';
    case 'closed':
      return 'The host closed the connection';
    default:
      return f.message;
  }
}
