/**
 * This computer's addresses the embedded relay can listen on for "this network"
 * (docs/connections.md): every non-internal interface address except IPv6 link-local ones (a
 * link needs their zone, which URLs cannot carry). An address a pairing link may not name over
 * plain `ws://` (a public one) is listed with the reason, so the UI can show it greyed out.
 */
import os from 'node:os';
import type { LocalAddress } from '../../shared/protocol/features/remoteAccessApi.js';
import { relayUrlProblem } from '../../shared/pairing/relayUrl.js';

/** The part of `os.networkInterfaces()` used (injected in tests). */
export type InterfaceList = NodeJS.Dict<readonly { address: string; family: string | number; internal: boolean }[]>;

const MAX_ADDRESSES = 64;

export function localAddresses(interfaces: InterfaceList = os.networkInterfaces()): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const [name, entries] of Object.entries(interfaces)) {
    for (const e of entries ?? []) {
      const family = e.family === 'IPv4' || e.family === 4 ? 'IPv4' : e.family === 'IPv6' || e.family === 6 ? 'IPv6' : undefined;
      if (!family || e.internal) continue;
      if (family === 'IPv6' && /^fe[89ab]/i.test(e.address)) continue;
      if (out.some((a) => a.address === e.address)) continue;
      const problem = relayUrlProblem(`ws://${family === 'IPv6' ? `[${e.address}]` : e.address}:1`);
      out.push({ address: e.address, interface: name.slice(0, 64), family, ...(problem ? { unusable: 'not a private network address: a link may name it only over wss:// (use a relay URL behind TLS)' } : {}) });
      if (out.length >= MAX_ADDRESSES) return out;
    }
  }
  return out;
}
