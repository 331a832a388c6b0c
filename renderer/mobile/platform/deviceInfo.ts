/**
 * How this phone introduces itself when it pairs (remote-protocol.md §4 ClientAuth: name,
 * platform, kind): the host lists it as e.g. "iPhone (Safari)". Pure, from the user agent.
 */
import type { DevicePlatform } from '../../../shared/crypto/handshakeRecords';

export interface DeviceInfo {
  readonly name: string;
  readonly platform: DevicePlatform;
}

export function deviceInfoOf(userAgent: string): DeviceInfo {
  const browser = /EdgA?\//.test(userAgent) ? 'Edge' : /Firefox|FxiOS/.test(userAgent) ? 'Firefox' : /CriOS|Chrome\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'Browser';
  if (/iPhone/.test(userAgent)) return { name: `iPhone (${browser})`, platform: 'ios' };
  if (/iPad/.test(userAgent)) return { name: `iPad (${browser})`, platform: 'ios' };
  const android = /Android[^;)]*;\s*([^;)]+?)(?:\s+Build\/[^;)]*)?\)/.exec(userAgent);
  if (android) {
    const model = android[1]!.trim();
    return { name: `${model && model !== 'K' && model.length <= 40 ? model : 'Android phone'} (${browser})`, platform: 'android' };
  }
  if (/Android/.test(userAgent)) return { name: `Android phone (${browser})`, platform: 'android' };
  return { name: `Web browser (${browser})`, platform: 'web' };
}
