/**
 * The one logging port. Components take a `Logger` (constructor argument) and prefix their
 * lines through `child('component')`. Implementations decide where lines go (stderr for the
 * headless host, a file for Electron, nothing in tests). Never pass secrets: callers redact.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

/** Every level, lowest first (for flag validation). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger that writes one line per entry through `write`, filtered by `level`. */
export function createLineLogger(write: (line: string) => void, level: LogLevel = 'info', prefix = ''): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const tail = fields && Object.keys(fields).length ? ` ${safeJson(fields)}` : '';
    write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${prefix ? `[${prefix}] ` : ''}${msg}${tail}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (c) => createLineLogger(write, level, prefix ? `${prefix}/${c}` : c),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (x instanceof Error ? x.message : typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return '[unserializable]';
  }
}
