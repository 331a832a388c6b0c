/**
 * Log redaction for the relay: host ids, device ids, sids and client addresses never appear in
 * logs in full. A short hash still lets an operator correlate lines of one session or host.
 */
import { createHash } from 'node:crypto';

/** First 8 hex characters of SHA-256(UTF-8 `id`). Not reversible for 128-bit ids. */
export function shortId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 8);
}
