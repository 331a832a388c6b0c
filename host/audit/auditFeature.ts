/**
 * The `audit` host feature as an extension (docs/connections.md "Remote activity"): answers
 * `host/audit/list` from `audit.jsonl` with bounded pages, newest first (auditReader.ts).
 * Reading never blocks appends: the log is append-only and each page opens the file on its own.
 */
import { MAX_AUDIT_PAGE } from '../../shared/protocol/features/auditApi.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { HostExtension } from '../app/hostApp.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import { readAuditPage } from './auditReader.js';

/** Entries per page when the caller does not say. */
export const DEFAULT_AUDIT_PAGE = 50;

export function auditTable(file: string): HostFeatureTable<'audit'> {
  return {
    'host/audit/list': async (params) => {
      const limit = Math.min(params?.limit ?? DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE);
      const before = params?.before !== undefined ? Number(params.before) : undefined;
      try {
        const page = await readAuditPage(file, { limit, ...(before !== undefined ? { before } : {}) });
        return { entries: page.entries, unreadable: page.unreadable, ...(page.nextCursor !== undefined ? { nextCursor: String(page.nextCursor) } : {}) };
      } catch (err) {
        throw new RpcError(RpcErrorCode.InternalError, `host/audit/list: the audit log cannot be read (${errorMessage(err)})`);
      }
    },
  };
}

export function createAuditExtension(file: string): HostExtension {
  return {
    name: 'remote activity',
    start: () => Promise.resolve({ features: { audit: auditTable(file) }, dispose: () => Promise.resolve() }),
  };
}
