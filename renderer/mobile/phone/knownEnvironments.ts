/**
 * The environments of a host as this phone last saw them (docs/mobile.md "Threads"). The list
 * comes with a session, and a session is per environment, so while the environment shown is
 * out of reach (another computer that went away, an SSH host that is down) there is no fresh
 * list; the phone keeps the last one, across reloads too, so the chips stay and a tap goes back
 * to an environment that works. Only what the chips show is kept: ids, names, kinds.
 */
import type { EnvironmentSummary } from '../../common/host/hostApi';

const MAX_ENVIRONMENTS = 64;
const MAX_ID = 256;
const MAX_LABEL = 256;
const MAX_DETAIL = 512;
const KINDS = new Set(['local', 'ssh', 'remote']);

/** The storage key of a host's list. */
export function knownEnvironmentsKey(hostId: string): string {
  return `environments.${hostId}`;
}

/** What is stored of a list: the chip's fields only. */
export function storableEnvironments(list: readonly EnvironmentSummary[]): EnvironmentSummary[] {
  // Cut to what parseKnownEnvironments accepts (an id that long is not kept: it could not be selected again).
  return list
    .filter((e) => e.id.length <= MAX_ID)
    .slice(0, MAX_ENVIRONMENTS)
    .map((e) => ({ id: e.id, label: e.label.slice(0, MAX_LABEL), detail: e.detail.slice(0, MAX_DETAIL), kind: e.kind }));
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** A stored list read back; anything damaged gives an empty list (the next session brings a fresh one). */
export function parseKnownEnvironments(v: unknown): EnvironmentSummary[] {
  if (!Array.isArray(v) || v.length > MAX_ENVIRONMENTS) return [];
  const out: EnvironmentSummary[] = [];
  for (const e of v as unknown[]) {
    if (typeof e !== 'object' || e === null) return [];
    const r = e as Record<string, unknown>;
    if (!str(r.id, MAX_ID) || !r.id || !str(r.label, MAX_LABEL) || !str(r.detail, MAX_DETAIL) || typeof r.kind !== 'string' || !KINDS.has(r.kind)) return [];
    out.push({ id: r.id, label: r.label, detail: r.detail, kind: r.kind as EnvironmentSummary['kind'] });
  }
  return out;
}
