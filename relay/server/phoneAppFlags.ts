/**
 * What `codex-relay` (and the embedded relay) serve at `/` and `/pair`: the bundled phone app,
 * another build (`--app-dir`), or nothing (`--no-app`). A missing bundled build is a warning
 * (the relay still forwards sessions); a missing `--app-dir` is an error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/util/logger.js';
import { defaultPhoneAppDir, loadPhoneApp, phoneAppHandler, PhoneAppError } from './phoneApp.js';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The handler to pass as `staticHandler`, or undefined when no app is served. */
export async function phoneAppHandlerFromFlags(flags: { readonly app?: boolean; readonly appDir?: string }, logger: Logger): Promise<StaticHandler | undefined> {
  if (flags.app === false) return undefined;
  if (flags.appDir !== undefined) return phoneAppHandler(await loadPhoneApp(flags.appDir));
  try {
    return phoneAppHandler(await loadPhoneApp(defaultPhoneAppDir()));
  } catch (err) {
    if (!(err instanceof PhoneAppError)) throw err;
    logger.warn(`${err.message}; serving the relay endpoints only`);
    return undefined;
  }
}
