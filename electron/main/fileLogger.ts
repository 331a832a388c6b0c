/**
 * The desktop app's log: one line per entry (the host's `Logger` format) appended to
 * `codex-host.log` in the app's logs dir, 0600; when it passes `maxBytes` at start it is moved to
 * `codex-host.log.1` (one generation kept). Secrets never reach it: callers redact (style.md G10).
 */
import { createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { createLineLogger, type Logger, type LogLevel } from '../../shared/util/logger.js';

export const LOG_FILE_NAME = 'codex-host.log';
export const MAX_LOG_BYTES = 5 * 1024 * 1024;

export interface FileLogger {
  readonly logger: Logger;
  readonly file: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export function createFileLogger(o: { dir: string; level?: LogLevel; maxBytes?: number; mirror?: (line: string) => void }): FileLogger {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const file = path.join(o.dir, LOG_FILE_NAME);
  try {
    if (statSync(file).size > (o.maxBytes ?? MAX_LOG_BYTES)) renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
  const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  stream.on('error', () => {
    // A log that cannot be written must not take the app down; the mirror (dev) still shows lines.
  });
  const logger = createLineLogger((line) => {
    stream.write(`${line}\n`);
    o.mirror?.(line);
  }, o.level ?? 'info');
  return {
    logger,
    file,
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
