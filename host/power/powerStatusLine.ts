/**
 * The keep-awake line of `codex-host status` (docs/keep-awake.md): the real state in the words
 * the desktop UI uses — held and why, on battery, not needed, or "not available here: why".
 */
import type { PowerState } from '../../shared/protocol/features/powerApi.js';

const WHY: Record<PowerState['reasons'][number], string> = {
  'remote-access': 'remote access is on',
  turn: 'a turn is running',
};

/** `  awake:    held by systemd-inhibit: a turn is running (setting on)` and the like. */
export function keepAwakeStatusLine(p: PowerState): string {
  return `  awake:    ${stateText(p)} (setting ${p.keepAwake ? 'on' : 'off'})`;
}

function stateText(p: PowerState): string {
  const why = p.reasons.map((r) => WHY[r]).join(', ');
  if (p.held) return `held by ${p.mechanism}: ${why}`;
  if (!p.available) return `not available here: ${p.unavailableReason ?? 'no reason given'}`;
  if (p.reasons.length) return `starting: ${why}`;
  if (p.keepAwake && p.remoteAccess && p.onBattery) return 'not held: on battery';
  return 'not held: no turn is running';
}
