/**
 * The honest state of one host as the phone shows it (docs/mobile.md "Connection"): connecting,
 * online, offline (the host is not reachable, or this phone has no network), reconnecting
 * (the session dropped and comes back by itself), removed (the host revoked this device) or
 * failed (the host cannot prove its key). Pure: derived from the session's status and the last
 * failure the controller library classified.
 */
import type { RemoteErrorKind } from '../../../shared/controller/remoteSessionError';
import type { SessionStatus } from '../../common/host/hostSession';

/** The hub's "try again later" close (closeCodes.ts CLOSE.TRY_AGAIN_LATER): an engine that is down, or the host is full. */
const TRY_AGAIN_LATER = 1013;

/** The environment the session is for when it is not the host's own, as the chips name it. */
export interface OtherEnvironment {
  readonly id: string;
  readonly label: string;
}

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

export function connectionOf(status: SessionStatus, last: LastFailure | undefined, hostName: string, online = true, environment?: OtherEnvironment): PhoneConnection {
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
      const engineDown = engineDownWords(status, hostName, environment);
      if (engineDown) return engineDown;
      return { state: 'reconnecting', label: 'Reconnecting', detail: last ? describeFailure(last) : status.lastError };
    }
  }
}

/**
 * The host is reachable, but the engine of the environment shown is not: another computer or
 * SSH host that went away, an environment the host no longer has, or this host's own engine.
 * The hub says which in its close reason or its refusal to select it (host/hub/clientSession.ts).
 */
function engineDownWords(status: SessionStatus & { kind: 'reconnecting' }, hostName: string, environment: OtherEnvironment | undefined): PhoneConnection | undefined {
  const named = environment && status.lastError.includes(`environment "${environment.id}"`);
  // Selecting it failed (`unknown environment`), or the hub closed for it (`… is not available on this host`).
  if (named && /unknown environment|is not available on this host/.test(status.lastError)) {
    return { state: 'offline', label: 'Not available', detail: `${hostName} no longer offers ${environment.label}. Pick another environment above.` };
  }
  if (status.closeCode !== TRY_AGAIN_LATER) return undefined;
  if (named) {
    return { state: 'offline', label: 'Not reachable', detail: `${hostName} cannot reach ${environment.label} right now. It keeps trying; the other environments work meanwhile.` };
  }
  if (status.lastError.includes('engine unavailable')) return { state: 'reconnecting', label: 'Reconnecting', detail: `Codex is not running on ${hostName} right now; the host is starting it again` };
  return undefined;
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
