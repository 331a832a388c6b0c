/**
 * `--ui-listen IP:PORT` for the browser bridge: loopback only (127.0.0.0/8 or ::1), port 0 =
 * pick a free one. The bridge hands out control of this computer to whoever holds its token,
 * so it never binds a network interface; from another machine, use an SSH port forward.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isLoopbackHost } from '../listener/listenUrl.js';

export interface UiListenAddress {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_UI_LISTEN: UiListenAddress = { host: '127.0.0.1', port: 0 };

export class UiListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UiListenError';
  }
}

/** Parses `127.0.0.1:8765`, `[::1]:8765` or a bare port (`8765`, on 127.0.0.1). */
export function parseUiListen(value: string): UiListenAddress {
  const v = value.trim();
  const bad = () => new UiListenError(`--ui-listen must be IP:PORT on this computer's loopback (e.g. 127.0.0.1:8765), got \`${v.slice(0, 80)}\``);
  let host: string;
  let portText: string;
  if (/^[0-9]+$/.test(v)) {
    host = '127.0.0.1';
    portText = v;
  } else if (v.startsWith('[')) {
    const close = v.indexOf(']');
    if (close < 0 || v[close + 1] !== ':') throw bad();
    host = v.slice(1, close);
    portText = v.slice(close + 2);
    if (!isIPv6(host)) throw bad();
  } else {
    const colon = v.lastIndexOf(':');
    if (colon < 0) throw bad();
    host = v.slice(0, colon);
    portText = v.slice(colon + 1);
    if (host === 'localhost') host = '127.0.0.1';
    if (!isIPv4(host)) throw bad();
  }
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65_535) throw bad();
  if (!isLoopbackHost(host)) {
    throw new UiListenError(
      `--ui-listen ${v}: the UI bridge only listens on loopback (127.0.0.1 or ::1); to use it from another machine, forward the port over SSH (ssh -L 8765:127.0.0.1:8765 this-host)`,
    );
  }
  return { host, port: Number(portText) };
}
