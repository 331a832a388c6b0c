/**
 * How a controlled host's state looks (connections-ui.md, "Control other devices"): the
 * subtitle is the host's own `label` (one vocabulary for the CLI and every UI); here only the
 * status dot, the tooltip and the details' wording are chosen.
 */
import type { RemoteInfo, RemoteState } from '../../../../../shared/protocol/features/remotesApi';

/** The status dot's class (common.css `.dot-*`, plus a grey one of this tab). */
export function dotClass(state: RemoteState): string {
  switch (state) {
    case 'connected':
      return 'dot dot-online';
    case 'removed':
    case 'failed':
    case 'updateRequired':
      return 'dot dot-error';
    case 'initializing':
    case 'waiting':
    case 'confirming':
    case 'connecting':
      return 'dot dot-running';
    case 'offline':
      return 'dot dot-attention';
    case 'disconnected':
      return 'dot od-dot-off';
  }
}

/** The subtitle's tooltip: the versions for "Update required", the failure's message otherwise. */
export function subtitleTitle(r: Pick<RemoteInfo, 'state' | 'label' | 'versions' | 'message'>): string {
  if (r.state === 'updateRequired' && r.versions) {
    return `Codex on that host: ${r.versions.remote ?? 'unknown'}; this computer needs ${r.versions.required} or newer`;
  }
  return r.message && !r.label.includes(r.message) ? `${r.label} · ${r.message}` : r.label;
}

const PLATFORMS: Readonly<Record<string, string>> = { darwin: 'macOS', linux: 'Linux', win32: 'Windows', freebsd: 'FreeBSD' };

/** `macOS / arm64`, `Linux / x64` (the OS as a person names it). */
export function osArch(d: Pick<RemoteInfo['details'], 'platform' | 'arch'>): string {
  const os = PLATFORMS[d.platform] ?? d.platform;
  return d.arch ? `${os} / ${d.arch}` : os;
}

/** "Never", or the time in the reader's locale. */
export function lastSeenText(lastSeen: string | null, now = Date.now()): string {
  if (!lastSeen) return 'Never';
  const t = Date.parse(lastSeen);
  if (Number.isNaN(t)) return lastSeen;
  const s = Math.round((now - t) / 1000);
  const when = new Date(t).toLocaleString();
  if (s < 60) return `Just now (${when})`;
  return when;
}
