/**
 * Who may still attach to the hub (red-team P1): a total cap, slots kept for the host's admins
 * (`cli`, `desktop`), a cap per client kind and a cap per paired device, so neither a stolen
 * phone nor a crowd of TUI clients can keep the owner from revoking it. The refusal text says
 * which cap was hit; the hub closes the client with 1013 and that text.
 */
import { ADMIN_CLIENT_KINDS, isAdminKind, type ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import type { HubLimits } from './hubLimits.js';

/** Why `candidate` may not attach next to `current`, or undefined if it may. */
export function admissionRefusal(current: readonly ClientIdentity[], candidate: ClientIdentity, limits: HubLimits): string | undefined {
  if (candidate.kind === 'phone' || candidate.kind === 'host') {
    const same = current.filter((c) => c.kind === candidate.kind && c.id === candidate.id).length;
    if (same >= limits.maxSessionsPerDevice) return `too many sessions for this device (max ${limits.maxSessionsPerDevice})`;
  }
  const ofKind = current.filter((c) => c.kind === candidate.kind).length;
  const kindCap = limits.maxClientsPerKind[candidate.kind];
  if (ofKind >= kindCap) return `too many ${candidate.kind} clients (max ${kindCap})`;
  if (current.length >= limits.maxClients) return `too many clients (max ${limits.maxClients})`;
  if (!isAdminKind(candidate.kind) && current.length >= limits.maxClients - limits.reservedAdminSlots) {
    return `too many clients (the last ${limits.reservedAdminSlots} of ${limits.maxClients} slots are kept for ${ADMIN_CLIENT_KINDS.join(' and ')})`;
  }
  return undefined;
}
