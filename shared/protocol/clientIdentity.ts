/**
 * Who a hub client is. The hub knows this for every connection (the listener, the control
 * endpoint, the relay client and the desktop window each attach clients with their kind) and
 * uses it for host/info, the audit log, the per-kind client caps and per-kind permissions on
 * host/ methods and notifications (docs/host-api.md).
 */
import { z } from 'zod';

export const CLIENT_KINDS = ['desktop', 'phone', 'host', 'tui', 'cli'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/**
 * The host's own administrators: the desktop window and the CLI run as the user who owns the
 * host. Only they manage devices and pairing, see other clients, and they keep reserved slots.
 */
export const ADMIN_CLIENT_KINDS = ['desktop', 'cli'] as const satisfies readonly ClientKind[];

export function isAdminKind(kind: ClientKind): boolean {
  return (ADMIN_CLIENT_KINDS as readonly ClientKind[]).includes(kind);
}

export const ClientIdentitySchema = z.object({
  kind: z.enum(CLIENT_KINDS),
  /** Stable for devices (deviceId), random per connection otherwise. */
  id: z.string().min(1).max(128),
  /** Display name (device name, TUI client name, "codex-host cli"). */
  name: z.string().max(128),
});
export type ClientIdentity = z.infer<typeof ClientIdentitySchema>;
