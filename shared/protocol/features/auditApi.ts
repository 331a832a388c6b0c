/**
 * The `audit` host feature (docs/host-api.md "Remote activity"): the audit log (`audit.jsonl`,
 * one line per approval answered through the hub) read back for Settings > Connections,
 * newest first, in bounded pages. Only the host's admins read it.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, CLIENT_KINDS, type ClientKind } from '../clientIdentity.js';
import type { HostFeature } from '../hostFeatures.js';

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;

/** Largest page `host/audit/list` answers. */
export const MAX_AUDIT_PAGE = 200;

/** One answered approval, as the hub wrote it (host/audit/auditLog.ts `AuditEntry`). */
export const AuditEntrySchema = z.object({
  time: z.string().max(64),
  client: z.object({ kind: z.enum(CLIENT_KINDS), id: z.string().max(128), name: z.string().max(256) }),
  environmentId: z.string().max(128),
  threadId: z.string().max(128).nullable(),
  /** The server request method, e.g. item/commandExecution/requestApproval. */
  request: z.string().max(128),
  summary: z.string().max(2048),
  decision: z.string().max(256),
  outcome: z.enum(['applied', 'late']),
});
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;

/** An opaque position in the log (pass `nextCursor` back to get the older page). */
export const AuditCursorSchema = z.string().regex(/^[0-9]{1,16}$/, 'must be a cursor from an earlier page');

/** method → { feature, params, result, allowed client kinds } (spread into HOST_METHODS). */
export const AUDIT_METHODS = {
  /**
   * A page of the audit log, newest first. `before` continues from an earlier page's
   * `nextCursor`; without it the page starts at the newest entry. Lines that cannot be read are
   * skipped and counted.
   */
  'host/audit/list': {
    feature: 'audit',
    params: z.union([
      z.object({ before: AuditCursorSchema.optional(), limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).optional() }).strict(),
      z.undefined(),
      z.null(),
    ]),
    result: z.object({
      entries: z.array(AuditEntrySchema).max(MAX_AUDIT_PAGE),
      /** Present while older entries remain. */
      nextCursor: AuditCursorSchema.optional(),
      /** Lines of this page's range that were not valid entries. */
      unreadable: z.number().int().nonnegative(),
    }),
    allowed: ADMINS,
  },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;
