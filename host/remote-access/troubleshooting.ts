/**
 * The troubleshooting checks of Settings > Connections (docs/connections.md, the four cases of
 * docs/connections-ui.md): host not visible on the phone, approvals not appearing, disconnects,
 * authentication. A pure function of what the host knows right now (the remote-access view, the
 * trusted devices, open sessions, the last pairing code, the last refused device, keep-awake),
 * so every check is true at the moment it is asked and testable without a network.
 */
import type { CheckStatus, RemoteAccessView, TroubleshootingCheck } from '../../shared/protocol/features/remoteAccessApi.js';

/** A device refused at the relay session's admission, the latest one. */
export interface RefusedDevice {
  readonly reason: 'code-expired' | 'code-used' | 'revoked' | 'unknown-device';
  /** The name the device gave, or the one this host knows it by. */
  readonly name?: string;
  /** Epoch ms. */
  readonly at: number;
}

/** The last pairing code shown since the host started. */
export interface LastPairingCode {
  readonly state: 'open' | 'expired' | 'replaced' | 'claimed';
  /** Epoch ms of the code's expiry. */
  readonly expiresAt: number;
  /** The device that used it (state `claimed`). */
  readonly deviceName?: string;
}

/** What keep-awake reports (the `power` feature), when the host has it. */
export interface KeepAwakeInput {
  readonly keepAwake: boolean;
  readonly held: boolean;
  readonly available: boolean;
  readonly unavailableReason?: string;
  readonly onBattery?: boolean;
}

export interface TroubleshootingInput {
  readonly remoteAccess: RemoteAccessView;
  /** How often the relay registration was lost since remote access started. */
  readonly reconnects: number;
  /** Trusted devices (not revoked), with their live sessions. */
  readonly devices: readonly { readonly name: string; readonly connected: number }[];
  readonly revokedDevices: number;
  readonly lastCode?: LastPairingCode;
  readonly lastRefused?: RefusedDevice;
  /** Undefined when this host has no keep-awake (or it has not reported yet). */
  readonly keepAwake?: KeepAwakeInput;
  readonly now: number;
}

/** Refusals older than this are history, not a current problem. */
const RECENT_MS = 30 * 60_000;

export function computeChecks(i: TroubleshootingInput): TroubleshootingCheck[] {
  return [remoteAccessOn(i), relayRegistered(i), relayReachable(i), deviceTrusted(i), sessionOpen(i), keepAwake(i), relaySteady(i), pairingCode(i), refusedDevice(i)];
}

function check(id: string, group: TroubleshootingCheck['group'], title: string, status: CheckStatus, detail: string, fix?: string, action?: TroubleshootingCheck['action']): TroubleshootingCheck {
  return { id, group, title, status, detail, ...(fix && status !== 'ok' ? { fix } : {}), ...(action && status !== 'ok' ? { action } : {}) };
}

function remoteAccessOn({ remoteAccess: r }: TroubleshootingInput): TroubleshootingCheck {
  return r.enabled
    ? check('remote-access-on', 'not-visible', 'Remote access is on', 'ok', 'Allow other devices to connect is on.')
    : check('remote-access-on', 'not-visible', 'Remote access is on', 'problem', 'Allow other devices to connect is off, so no phone or computer can reach this host.', 'Turn on Allow other devices to connect.', 'turn-on-remote-access');
}

function relayRegistered({ remoteAccess: r }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'This computer is registered at the relay';
  const at = r.relayUrl ?? 'the relay';
  if (!r.enabled) return check('relay-registered', 'not-visible', title, 'unknown', 'Remote access is off.');
  switch (r.state) {
    case 'registered':
      return check('relay-registered', 'not-visible', title, 'ok', `Registered at ${at}.`);
    case 'connecting':
      return check('relay-registered', 'not-visible', title, 'warning', `Connecting to ${at}…`, 'Wait a few seconds; if it stays here, check that this computer can reach the relay.');
    case 'disconnected':
      return check(
        'relay-registered',
        'not-visible',
        title,
        'problem',
        `Not connected to ${at}${r.lastError ? `: ${r.lastError}` : ''}. The host keeps retrying.`,
        r.relay.mode === 'url' ? 'Check that the relay is running and that this computer can reach its address.' : 'Restart remote access, or choose another relay.',
        r.relay.mode === 'url' ? 'relay-url' : undefined,
      );
    case 'stopped':
      return check('relay-registered', 'not-visible', title, 'problem', `The relay did not start${r.lastError ? `: ${r.lastError}` : ''}.`, 'Choose another relay below, or turn remote access off and on.', 'relay-this-network');
  }
}

function relayReachable({ remoteAccess: r }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'Your phone can reach the relay';
  const at = r.relayUrl ?? 'the relay';
  switch (r.reach) {
    case 'this-computer':
      return check(
        'relay-reachable',
        'not-visible',
        title,
        'problem',
        `The relay (${at}) listens on this computer only: a phone cannot reach it. Pairing codes still work in a browser on this computer.`,
        'Serve the relay on this network (choose this computer’s address), or use a relay URL.',
        'relay-this-network',
      );
    case 'local-network':
      return check('relay-reachable', 'not-visible', title, 'ok', `Devices on the same network as this computer can reach ${at}; away from that network they cannot (use a relay URL for that).`);
    case 'anywhere':
      return check('relay-reachable', 'not-visible', title, 'ok', `Any device that can reach ${at} can connect.`);
  }
}

function deviceTrusted({ devices }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'A device is trusted';
  if (devices.length === 0) return check('device-trusted', 'no-approvals', title, 'problem', 'No device is paired with this computer yet.', 'Pair your phone with Set up Codex mobile.', 'pair-device');
  return check('device-trusted', 'no-approvals', title, 'ok', `${names(devices.map((d) => d.name))} can control this computer.`);
}

function sessionOpen({ devices, remoteAccess: r }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'A device is connected now';
  const connected = devices.filter((d) => d.connected > 0);
  if (connected.length) return check('session-open', 'no-approvals', title, 'ok', `${names(connected.map((d) => d.name))} ${connected.length === 1 ? 'is' : 'are'} connected now; approvals reach ${connected.length === 1 ? 'it' : 'them'} at once.`);
  if (devices.length === 0) return check('session-open', 'no-approvals', title, 'unknown', 'No device is paired yet.');
  if (!r.enabled) return check('session-open', 'no-approvals', title, 'problem', 'Remote access is off, so no device can connect.', 'Turn on Allow other devices to connect.', 'turn-on-remote-access');
  return check(
    'session-open',
    'no-approvals',
    title,
    'warning',
    'No paired device is connected. A device gets approvals only while Codex is open on it.',
    'Open Codex on your phone. If it stays offline, check the relay checks above.',
  );
}

function keepAwake({ keepAwake: k, remoteAccess: r }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'This computer stays awake';
  if (!k) return check('keep-awake', 'disconnects', title, 'unknown', 'This host does not report keep-awake.');
  if (!k.available) return check('keep-awake', 'disconnects', title, 'warning', `Keep-awake is not available here${k.unavailableReason ? `: ${k.unavailableReason}` : ''}. If the computer sleeps, devices lose the connection.`, 'Change the computer’s sleep settings while you work remotely.');
  if (!k.keepAwake) return check('keep-awake', 'disconnects', title, 'warning', 'Keep this computer awake is off: the computer may sleep and drop every remote session.', 'Turn on Keep this computer awake.', 'turn-on-keep-awake');
  if (k.held) return check('keep-awake', 'disconnects', title, 'ok', 'Keep-awake holds the computer awake right now.');
  if (k.onBattery) return check('keep-awake', 'disconnects', title, 'warning', 'On battery: keep-awake holds only while the computer is plugged in (and always while a turn runs).', 'Plug the computer in.');
  if (!r.enabled) return check('keep-awake', 'disconnects', title, 'unknown', 'Keep-awake holds while remote access is on; it is off.');
  return check('keep-awake', 'disconnects', title, 'warning', 'Keep-awake is on but does not hold the computer awake right now.', 'Turn Keep this computer awake off and on again.');
}

function relaySteady({ remoteAccess: r, reconnects }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'The relay connection is steady';
  if (!r.enabled || r.state === 'stopped') return check('relay-steady', 'disconnects', title, 'unknown', 'Remote access is not running.');
  if (reconnects === 0) return check('relay-steady', 'disconnects', title, 'ok', 'No dropped relay connection since remote access started.');
  return check(
    'relay-steady',
    'disconnects',
    title,
    'warning',
    `The relay connection dropped ${reconnects === 1 ? 'once' : `${reconnects} times`} since remote access started${r.lastError ? ` (last: ${r.lastError})` : ''}. Devices reconnect by themselves.`,
    'A flaky network, a sleeping computer or a restarting relay drops sessions; check the network and keep-awake.',
  );
}

function pairingCode({ lastCode: c, lastRefused: refused, now }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'Pairing codes work';
  const recent = refused && now - refused.at < RECENT_MS ? refused : undefined;
  if (recent && (recent.reason === 'code-expired' || recent.reason === 'code-used')) {
    return check(
      'pairing-code',
      'authentication',
      title,
      'problem',
      `${recent.name ? `${recent.name} ` : 'A device '}tried a pairing code that ${recent.reason === 'code-expired' ? 'had expired or was replaced' : 'was already used'} (${ago(now - recent.at)}).`,
      'A code works once, for 10 minutes: open Set up Codex mobile and scan the code it shows now.',
      'pair-device',
    );
  }
  if (!c) return check('pairing-code', 'authentication', title, 'ok', 'No pairing code was shown since the host started. A code works once, for 10 minutes.');
  switch (c.state) {
    case 'open':
      return check('pairing-code', 'authentication', title, 'ok', `A pairing code is open for ${ago(c.expiresAt - now, false)} more.`);
    case 'claimed':
      return check('pairing-code', 'authentication', title, 'ok', `The last code paired ${c.deviceName ?? 'a device'}.`);
    case 'replaced':
      return check('pairing-code', 'authentication', title, 'ok', 'The last code was replaced by a newer one.');
    case 'expired':
      return check('pairing-code', 'authentication', title, 'warning', 'The last pairing code expired before a device used it.', 'Open Set up Codex mobile for a new code and scan it within 10 minutes.', 'pair-device');
  }
}

function refusedDevice({ lastRefused: r, revokedDevices, now }: TroubleshootingInput): TroubleshootingCheck {
  const title = 'No refused device is trying to connect';
  const recent = r && now - r.at < RECENT_MS ? r : undefined;
  if (recent?.reason === 'revoked') {
    return check('device-refused', 'authentication', title, 'problem', `${recent.name ?? 'A device'} tried to connect ${ago(now - recent.at)}, but its access was revoked.`, 'If you trust it again, pair it again with Set up Codex mobile.', 'pair-device');
  }
  if (recent?.reason === 'unknown-device') {
    return check('device-refused', 'authentication', title, 'problem', `An unknown device tried to connect ${ago(now - recent.at)}: this computer has no pairing with it (it may have been paired with another computer, or its pairing was removed).`, 'Pair it again with Set up Codex mobile.', 'pair-device');
  }
  const history = revokedDevices ? ` ${revokedDevices === 1 ? 'One device was' : `${revokedDevices} devices were`} revoked; ${revokedDevices === 1 ? 'it' : 'they'} must pair again to connect.` : '';
  return check('device-refused', 'authentication', title, 'ok', `No device was refused recently.${history}`);
}

function names(list: readonly string[]): string {
  if (list.length <= 2) return list.join(' and ');
  return `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`;
}

function ago(ms: number, suffix = true): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return suffix ? `${text} ago` : text;
}
