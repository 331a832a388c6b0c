/**
 * The contract between the host's composition (`createHost.ts`) and the features built on the
 * hub (remote access today): a `HostExtension` starts once the hub exists, may register host/
 * handlers and host/info fields, and is disposed when the host stops. `HostStartError` is a
 * start failure that is one clear sentence for the person starting the host.
 */
import type { AsyncDisposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { HostInfoExtras, Hub } from '../hub/hub.js';
import type { HostFeatureTables } from '../hub/hostFeatures.js';

export class HostStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostStartError';
  }
}

/** What an extension adds to host/info (read at call time). */
export type HostInfoFields = HostInfoExtras;

/** A running extension: its handlers and host/info fields; `dispose()` stops it. */
export interface StartedExtension extends AsyncDisposable {
  /** Complete host/ feature tables (registered with the hub while the extension runs). */
  readonly features?: HostFeatureTables;
  readonly describe?: () => HostInfoFields;
}

export interface HostExtension {
  readonly name: string;
  start(ctx: { hub: Hub; dataDir: string; logger: Logger; hostName: string }): Promise<StartedExtension>;
}
