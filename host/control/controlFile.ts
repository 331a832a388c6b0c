/**
 * The control file: how `codex-host status|pair|devices` find and authenticate to a running
 * host. It lives in the data dir with mode 0600 and holds the control endpoint's loopback URL
 * and its capability token (regenerated every start), so only the user who can read the data
 * dir can drive the host from the CLI.
 */
import path from 'node:path';
import { z } from 'zod';

export const CONTROL_FILE_NAME = 'control.json';

export const ControlFileSchema = z
  .object({
    url: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d{1,5}$/),
    token: z.string().min(32).max(128),
    pid: z.number().int().positive(),
    version: z.string().max(64),
    startedAt: z.string().max(64),
  })
  .strict();
export type ControlFile = z.infer<typeof ControlFileSchema>;

export function controlFilePath(dataDir: string): string {
  return path.join(dataDir, CONTROL_FILE_NAME);
}
