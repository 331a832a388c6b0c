/**
 * Trust policy for relay sessions (remote-protocol.md §4 step 4, §6): the handshake proves who
 * the controller is; this decides whether it may in. Pair mode consumes the one-time secret
 * (a second use is `used`) and adds the device to the trusted list; resume mode requires an
 * active entry with the same key (`revoked` / `unknown_device` otherwise).
 */
import type { VerifiedDevice } from '../../shared/crypto/hostHandshake.js';
import type { DeniedReason } from '../../shared/crypto/handshakeRecords.js';
import { toB64u } from '../../shared/util/encoding.js';
import { toDisplayName } from '../../shared/protocol/displayName.js';
import type { DeviceRegistry } from '../devices/deviceRegistry.js';
import type { PairingManager } from '../pairing/pairingManager.js';

export type AdmissionResult =
  | {
      readonly ok: true;
      readonly name: string;
      /**
       * Undoes what admission changed (pair mode: the consumed code and the new trusted entry),
       * for a session that ended before its welcome was sent, so the QR can be used again.
       */
      readonly rollback?: () => Promise<void>;
    }
  | { readonly ok: false; readonly reason: DeniedReason };

export interface SessionAdmission {
  /** Pair mode: the unexpired, unused secret for `pairId` (not consumed). */
  lookupPairingSecret(pairId: Uint8Array): Uint8Array | undefined;
  /** Decides, after a verified ClientAuth, whether the device is welcome. */
  admit(device: VerifiedDevice): Promise<AdmissionResult>;
}

export function createSessionAdmission(pairing: PairingManager, devices: DeviceRegistry): SessionAdmission {
  return {
    lookupPairingSecret: (pairId) => pairing.lookup(pairId),
    async admit(device) {
      const deviceKey = toB64u(device.deviceKey);
      if (device.mode === 'pair') {
        const undo = device.pairId ? pairing.consume(device.pairId) : undefined;
        if (!undo) return { ok: false, reason: 'used' };
        try {
          const before = new Set(devices.list().map((d) => d.entryId));
          const rec = await devices.addPaired({ deviceId: device.deviceId, deviceKey, name: device.name, platform: device.platform, kind: device.kind });
          const created = !before.has(rec.entryId);
          return {
            ok: true,
            name: toDisplayName(rec.name, 'Device'),
            rollback: async () => {
              undo();
              if (created) await devices.removeEntry(rec.entryId);
            },
          };
        } catch (err) {
          // Not saved: give the code back so the same QR can be tried again.
          undo();
          throw err;
        }
      }
      const verdict = devices.checkResume(device.deviceId, deviceKey);
      if (!verdict.ok) return verdict;
      await devices.touch(device.deviceId).catch(() => {});
      // The host's name for the device wins (it may have been renamed here); it goes into the
      // welcome record, which only takes clean display names.
      return { ok: true, name: toDisplayName(verdict.device.name, 'Device') };
    },
  };
}
