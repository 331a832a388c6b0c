/**
 * Who a hub client is. The hub knows this for every connection (the listener, the control
 * endpoint, the relay client and the desktop window each attach clients with their kind) and
 * uses it for host/info, the audit log and per-kind permissions on host/ methods.
 */
import { z } from 'zod';

export const CLIENT_KINDS = ['desktop', 'phone', 'host', 'tui', 'cli'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const ClientIdentitySchema = z
  .object({
    kind: z.enum(CLIENT_KINDS),
    /** Stable for devices (deviceId), random per connection otherwise. */
    id: z.string().min(1).max(128),
    /** Display name (device name, TUI client name, "codex-host cli"). */
    name: z.string().max(128),
  })
  .strict();
export type ClientIdentity = z.infer<typeof ClientIdentitySchema>;
