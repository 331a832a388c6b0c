/**
 * The relay wire contract, end to end at the module level: every encoder's output is fed to the
 * parser of the side that receives it, for every message of all three directions, and every close
 * code a host can end a session with is followed across the relay to what the controller reports.
 * Adding a message or a code without teaching both sides fails here, not only in e2e.
 */
import { describe, expect, it } from 'vitest';
import { RELAY_LIMITS } from '../../relay/server/limits.js';
import {
  CLOSE,
  fromRelaySessionCloseCode,
  MAX_CLOSE_REASON_BYTES,
  toControllerSocketCloseCode,
} from '../protocol/closeCodes.js';
import {
  closeSessionMessage,
  encodeHostToRelay,
  encodeRelayToController,
  encodeRelayToHost,
  hostToRelaySchema,
  MAX_RELAY_TO_CONTROLLER_CHARS,
  MAX_RELAY_TO_HOST_BYTES,
  parseHostToRelay,
  parseRelayToController,
  parseRelayToHost,
  RECEIVER_RULES,
  relayToControllerSchema,
  relayToHostSchema,
  type HostToRelay,
  type RelayToController,
  type RelayToHost,
} from './messages.js';

const SID = '0123456789abcdef0123456789abcdef';
const ID = 'fedcba9876543210fedcba9876543210';
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

/** One of each message; a type missing here fails the coverage checks below. */
const HOST_TO_RELAY: HostToRelay[] = [
  { t: 'register', key: bytes(32, 7), sig: bytes(64, 9) },
  { t: 'close', sid: SID, code: 4403, reason: 'revoked' },
  { t: 'close', sid: SID, code: 4012 },
];
const RELAY_TO_HOST: RelayToHost[] = [
  { t: 'challenge', nonce: bytes(32, 1) },
  { t: 'registered', host: ID },
  { t: 'open', sid: SID, device: ID },
  { t: 'closed', sid: SID },
];
const RELAY_TO_CONTROLLER: RelayToController[] = [{ t: 'ready', sid: SID }, { t: 'offline' }];

const typesOf = (schema: { options: readonly { shape: { t: { value: unknown } } }[] }) => schema.options.map((o) => o.shape.t.value).sort();

describe('relay wire contract', () => {
  it('has a sample of every message type of every direction', () => {
    expect([...new Set(HOST_TO_RELAY.map((m) => m.t))].sort()).toEqual(typesOf(hostToRelaySchema));
    expect([...new Set(RELAY_TO_HOST.map((m) => m.t))].sort()).toEqual(typesOf(relayToHostSchema));
    expect([...new Set(RELAY_TO_CONTROLLER.map((m) => m.t))].sort()).toEqual(typesOf(relayToControllerSchema));
  });

  it('host → relay: the relay parses every message the host encodes, within its size limit', () => {
    for (const m of HOST_TO_RELAY) {
      const text = encodeHostToRelay(m);
      expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(RELAY_LIMITS.maxControlMessageBytes);
      expect(parseHostToRelay(text)).toEqual(m);
    }
  });

  it('relay → host: the host parses every message the relay encodes', () => {
    for (const m of RELAY_TO_HOST) {
      const text = encodeRelayToHost(m);
      expect(text.length).toBeLessThanOrEqual(MAX_RELAY_TO_HOST_BYTES);
      expect(parseRelayToHost(text)).toEqual(m);
    }
  });

  it('relay → controller: the controller parses every message the relay encodes', () => {
    for (const m of RELAY_TO_CONTROLLER) {
      const text = encodeRelayToController(m);
      expect(text.length).toBeLessThanOrEqual(MAX_RELAY_TO_CONTROLLER_CHARS);
      expect(parseRelayToController(text)).toEqual(m);
    }
  });

  it('each receiver applies the strictness RECEIVER_RULES names', () => {
    const extra = (text: string) => JSON.stringify({ ...(JSON.parse(text) as object), future: 1 });
    const unknown = JSON.stringify({ t: 'future' });
    const accepts = (parse: (t: string) => unknown, text: string) => {
      try {
        parse(text);
        return 'ignore';
      } catch {
        return 'reject';
      }
    };
    const observed = {
      hostToRelay: { extraFields: accepts(parseHostToRelay, extra(encodeHostToRelay(HOST_TO_RELAY[1]!))), unknownTypes: accepts(parseHostToRelay, unknown) },
      relayToHost: { extraFields: accepts(parseRelayToHost, extra(encodeRelayToHost(RELAY_TO_HOST[2]!))), unknownTypes: accepts(parseRelayToHost, unknown) },
      relayToController: {
        extraFields: accepts(parseRelayToController, extra(encodeRelayToController(RELAY_TO_CONTROLLER[0]!))),
        unknownTypes: accepts(parseRelayToController, unknown),
      },
    };
    expect(observed).toEqual(RECEIVER_RULES);
  });
});

describe('close codes across the relay', () => {
  const codes = Object.values(CLOSE);

  it('the table has one name per code, each in the RFC 6455 range or the protocol\'s 4400-4499', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect([code, (code >= 1000 && code <= 1015) || (code >= 4400 && code <= 4499)]).toEqual([code, true]);
  });

  it('every code a host closes a session with reaches the controller as the same code', () => {
    // A host session may be closed with any code of the table, any RFC 6455 code, or the
    // protocol's range; the relay must accept the `close` and the controller must map it back.
    const sent = [...codes, ...Array.from({ length: 16 }, (_, i) => 1000 + i), ...Array.from({ length: 100 }, (_, i) => 4400 + i)];
    for (const code of sent) {
      const relaySide = parseHostToRelay(closeSessionMessage(SID, code, 'x'.repeat(300)));
      if (relaySide.t !== 'close') throw new Error('not a close');
      expect(new TextEncoder().encode(relaySide.reason ?? '').length).toBe(MAX_CLOSE_REASON_BYTES);
      // The relay closes the controller's socket with `relaySide.code`; the controller reports:
      expect([code, fromRelaySessionCloseCode(relaySide.code)]).toEqual([code, code]);
    }
  });

  it('codes outside those ranges arrive as a normal closure, never as something else', () => {
    for (const code of [0, 999, 1016, 2000, 3000, 3999, 5000, 1000.5]) {
      const relaySide = parseHostToRelay(closeSessionMessage(SID, code, ''));
      if (relaySide.t !== 'close') throw new Error('not a close');
      expect([code, fromRelaySessionCloseCode(relaySide.code)]).toEqual([code, CLOSE.NORMAL]);
    }
  });

  it('a controller closes its own socket only with codes a browser accepts, and the host reads them back', () => {
    for (const code of [...codes, 1002, 1015]) {
      const onWire = toControllerSocketCloseCode(code);
      expect(onWire === 1000 || (onWire >= 3000 && onWire <= 4999)).toBe(true);
      expect([code, fromRelaySessionCloseCode(onWire)]).toEqual([code, code]);
    }
  });
});
