/**
 * The schemas hostApi.ts parses `host/` results with. Loaded on first use (a separate chunk):
 * the schema library is not needed to paint the first screen.
 */
import { z } from 'zod';
import { HostInfoSchema, type HostInfo } from '../../../shared/protocol/hostMethods';
import { parseUnknown } from '../../../shared/util/schema';

const EnvironmentListSchema = z.object({
  environments: z
    .array(
      z.object({
        id: z.string().min(1).max(128),
        label: z.string().max(256).optional(),
        name: z.string().max(256).optional(),
        detail: z.string().max(256).optional(),
        kind: z.enum(['local', 'ssh', 'remote']).optional(),
        state: z.string().max(64).optional(),
        phase: z.string().max(64).optional(),
        lastError: z.string().max(2000).optional(),
      }),
    )
    .max(256),
});
export type EnvironmentList = z.output<typeof EnvironmentListSchema>;

export function parseHostInfo(raw: unknown): HostInfo {
  return parseUnknown(HostInfoSchema, raw, 'host/info result');
}

export function parseEnvironmentList(raw: unknown): EnvironmentList {
  return parseUnknown(EnvironmentListSchema, raw, 'host/environments/list result');
}
