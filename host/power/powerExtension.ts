/**
 * Keep-awake wired into the host (docs/keep-awake.md): a `HostExtension` that `createHost` starts
 * after every other extension. It owns one `KeepAwake` policy and drives it from what the hub
 * already announces:
 *
 * - `turn`: one key per environment, from `host/busy/changed` (`environmentBusy`), seeded from
 *   the environments' busy flags at start. An engine restart or a removed environment reports
 *   "not busy" through the same notification, so its key is released.
 * - `remote-access`: on while the remote extension reports a relay state other than `stopped`
 *   (host/info's `remoteAccess` at start, then `host/remoteAccess/changed`).
 *
 * It answers the `power` feature (shared/protocol/features/powerApi.ts): `host/power/get`, and
 * `host/power/set {keepAwake}` (saved atomically in `power.json` before it applies, so a setting
 * that cannot be saved is refused and nothing changes), and sends `host/power/changed` whenever
 * the real state changes. The blocker and power source are injected (`createHost`'s `power`
 * option: Electron's powerSaveBlocker/powerMonitor); without them the headless adapters are used
 * (systemd-inhibit, caffeinate, or "not available here: why"). The extension owns the source it
 * is given and disposes it after the policy has released every block.
 */
import type { HostInfo } from '../../shared/protocol/hostMethods.js';
import type { PowerState } from '../../shared/protocol/features/powerApi.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { errorMessage } from '../../shared/util/errors.js';
import { DisposableStore, toDisposable } from '../../shared/util/lifecycle.js';
import type { HostExtension } from '../app/hostApp.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import type { HubNotification } from '../hub/hub.js';
import { createHeadlessPower } from './headlessPower.js';
import { KeepAwake, type KeepAwakeState } from './keepAwake.js';
import type { PowerBlocker, PowerSource } from './powerBlocker.js';
import { loadPowerSettings, savePowerSettings } from './powerSettings.js';

/** The two keep-awake adapters a host runs with. */
export interface PowerAdapters {
  readonly blocker: PowerBlocker;
  /** Disposed by the extension when the host stops (ownership moves to it). */
  readonly source: PowerSource;
}

export interface PowerExtensionOptions {
  /** The adapters to use (the Electron app passes its own); default: `defaultAdapters()`. */
  readonly adapters?: PowerAdapters;
  /** Builds the headless adapters (default `createHeadlessPower`; tests inject). */
  readonly defaultAdapters?: () => Promise<PowerAdapters>;
}

/** The host API's view of the policy's state (`enabled` is the `keepAwake` setting). */
export function toPowerState(s: KeepAwakeState): PowerState {
  return {
    keepAwake: s.enabled,
    held: s.held,
    reasons: [...s.reasons],
    runningTurns: s.runningTurns,
    remoteAccess: s.remoteAccess,
    available: s.available,
    ...(s.unavailableReason !== undefined ? { unavailableReason: s.unavailableReason.slice(0, 500) } : {}),
    ...(s.onBattery !== undefined ? { onBattery: s.onBattery } : {}),
    mechanism: s.mechanism.slice(0, 64),
  };
}

/** Remote access is on while the remote extension runs a relay client that was not stopped. */
export function remoteAccessOn(info: Pick<HostInfo, 'remoteAccess'>): boolean {
  return info.remoteAccess !== undefined && info.remoteAccess.state !== 'stopped';
}

async function headlessAdapters(): Promise<PowerAdapters> {
  const { blocker, power } = await createHeadlessPower();
  return { blocker, source: power };
}

export function createPowerExtension(o: PowerExtensionOptions = {}): HostExtension {
  return {
    name: 'keep-awake',
    async start({ hub, dataDir, logger }) {
      const store = new DisposableStore(logger);
      try {
        const { blocker, source } = o.adapters ?? (await (o.defaultAdapters ?? headlessAdapters)());
        store.add(source);
        const loaded = await loadPowerSettings(dataDir);
        let problem = loaded.problem;
        if (problem) logger.warn(problem);

        let writing: Promise<void> = Promise.resolve();
        // Runs before the source is disposed: a setting being written is finished, not torn.
        store.add(toDisposable(() => writing.catch(() => {})));

        const keepAwake = new KeepAwake({ blocker, power: source, logger, enabled: loaded.settings.keepAwake, remoteAccess: remoteAccessOn(hub.info()) });
        let probing: Promise<void> = Promise.resolve();
        store.add(
          toDisposable(async () => {
            keepAwake.dispose();
            // A helper still starting (or probing) is released as soon as its start resolves: wait
            // for that, so no helper process outlives the host's dispose().
            await Promise.all([keepAwake.settled(), probing]);
          }),
        );
        for (const env of hub.environmentList(true)) if (env.busy) keepAwake.acquireTurn(env.id);
        store.add(hub.onNotification((n) => follow(keepAwake, n)));
        store.add(keepAwake.onDidChange((s) => hub.notify('host/power/changed', toPowerState(s))));
        probing = keepAwake.probe().catch((err: unknown) => logger.warn('keep-awake probe failed', { error: errorMessage(err) }));

        const table: HostFeatureTable<'power'> = {
          'host/power/get': () => toPowerState(keepAwake.state),
          'host/power/set': async ({ keepAwake: on }) => {
            // Writes are serialized, so the file always ends with the last answer given.
            const write = writing.then(() => savePowerSettings(dataDir, { keepAwake: on }));
            writing = write.catch(() => {});
            try {
              await write;
            } catch (err) {
              throw new RpcError(RpcErrorCode.InternalError, `host/power/set: the setting could not be saved (${errorMessage(err)}); nothing was changed`);
            }
            problem = undefined;
            keepAwake.setEnabled(on);
            logger.info('keep-awake setting changed', { keepAwake: on });
            return toPowerState(keepAwake.state);
          },
        };
        return {
          features: { power: table },
          describe: () => (problem ? { warnings: [problem] } : {}),
          dispose: () => store.dispose(),
        };
      } catch (err) {
        await store.dispose();
        throw err;
      }
    },
  };
}

/** Applies one hub notification to the policy. */
function follow(keepAwake: KeepAwake, n: HubNotification): void {
  if (n.method === 'host/busy/changed') {
    if (n.params.environmentBusy) keepAwake.acquireTurn(n.params.environmentId);
    else keepAwake.releaseTurn(n.params.environmentId);
  } else if (n.method === 'host/remoteAccess/changed') {
    keepAwake.setRemoteAccess(n.params.state !== 'stopped');
  }
}
