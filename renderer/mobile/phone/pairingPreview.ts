/**
 * What the pairing screen shows before and after "Pair" (docs/mobile.md "Pairing"): the host's
 * name and key fingerprint from the link, and for every way pairing can fail a screen that
 * says what happened and what to do (expired, already used, not a pairing link, host offline,
 * a host that cannot prove the key the link names). Pure, so each case is unit-tested.
 */
import { RemoteSessionError } from '../../../shared/controller/remoteSessionError';
import { PairingLinkError, parsePairingLink, type PairingLink } from '../../../shared/pairing/pairingLink';

export type LinkPreview =
  | { readonly ok: true; readonly link: PairingLink; readonly fingerprint: string; readonly relayOrigin: string; readonly expiresAtMs: number }
  | { readonly ok: false; readonly failure: PairFailure };

export type PairFailureKind = 'expired' | 'used' | 'invalid' | 'offline' | 'host_key' | 'denied' | 'network';

export interface PairFailure {
  readonly kind: PairFailureKind;
  readonly title: string;
  readonly body: string;
}

/** The host id (the first 16 bytes of SHA-256 of its key) in groups of four, as `codex-host status` lets one compare. */
export function fingerprintOf(hostId: string): string {
  return (hostId.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

const HOW_TO_GET_A_CODE = 'Show a new code on the host: run `codex-host pair`, or open Settings › Connections on the desktop.';

export function previewLink(text: string, nowMs: number = Date.now()): LinkPreview {
  try {
    const link = parsePairingLink(text, nowMs);
    const relayOrigin = link.relay.replace(/^ws(s?):\/\//, 'http$1://');
    return { ok: true, link, fingerprint: fingerprintOf(link.hostId), relayOrigin, expiresAtMs: link.exp * 1000 };
  } catch (err) {
    return { ok: false, failure: linkFailure(err) };
  }
}

function linkFailure(err: unknown): PairFailure {
  if (err instanceof PairingLinkError && err.problem === 'expired') {
    return { kind: 'expired', title: 'This code has expired', body: `Pairing codes work for ten minutes. ${HOW_TO_GET_A_CODE}` };
  }
  const why = err instanceof Error ? err.message : String(err);
  return { kind: 'invalid', title: 'This is not a pairing link', body: `The link is damaged or incomplete (${why}). Scan the code again, or copy the whole link. ${HOW_TO_GET_A_CODE}` };
}

/** Why pairing did not work, from what the controller library reported. */
export function pairFailure(err: unknown, hostName: string, link: PairingLink | undefined, nowMs: number = Date.now()): PairFailure {
  if (err instanceof PairingLinkError) return linkFailure(err);
  if (!(err instanceof RemoteSessionError)) return { kind: 'network', title: 'Pairing did not finish', body: err instanceof Error ? err.message : String(err) };
  switch (err.kind) {
    case 'expired':
      // The host no longer knows this code: its ten minutes ran out, it was used, or a newer one replaced it.
      if (link && link.exp * 1000 <= nowMs) return linkFailure(new PairingLinkError('exp', 'expired', 'expired'));
      return { kind: 'used', title: 'This code was already used', body: `${hostName} no longer accepts this code: it was used by a device, or a newer code replaced it. ${HOW_TO_GET_A_CODE}` };
    case 'denied':
      if (err.reason === 'used') return { kind: 'used', title: 'This code was already used', body: `Another device paired with this code a moment ago. ${HOW_TO_GET_A_CODE}` };
      return { kind: 'denied', title: `${hostName} refused this phone`, body: `The host said: ${err.reason}. ${HOW_TO_GET_A_CODE}` };
    case 'offline':
      return { kind: 'offline', title: `${hostName} is offline`, body: `The host is not connected to its relay right now. Make sure Codex Host is running on it (and that remote access is on), then try again while the code is still valid.` };
    case 'host_key':
      return { kind: 'host_key', title: 'This is not the host the code names', body: 'The other side could not prove the key in the code, so nothing was paired. Someone may be in between; scan a code straight from the host’s screen.' };
    default:
      return { kind: 'network', title: `Could not reach ${hostName}`, body: `${err.message}. Check the phone’s connection and try again.` };
  }
}
